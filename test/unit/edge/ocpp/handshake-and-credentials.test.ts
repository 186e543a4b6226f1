import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { ChargerSchema } from '../../../../shared/site/site-schema';
import { parsePhaseRotation } from '../../../../edge/ocpp/boot-configuration';
import { decideHandshake, type HandshakePolicy } from '../../../../edge/ocpp/handshake-auth';
import { MemoryChargerCredentials } from '../../../../edge/ocpp/memory-credentials';
import { hashPassword, verifyPassword } from '../../../../edge/security/password-hash';
import { toRpcError } from '../../../../edge/ocpp/rpc-errors';
import { AuthThrottle } from '../../../../edge/security/auth-throttle';

const KNOWN = ChargerSchema.parse({ id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 });

describe('charger passwords', () => {
  it('should store a salted scrypt hash and verify only the right password', async () => {
    const a = await hashPassword('secret');
    const b = await hashPassword('secret');

    expect(a).not.toContain('secret');
    expect(a).not.toBe(b);
    expect(await verifyPassword(Buffer.from('secret'), a)).toBe(true);
    expect(await verifyPassword(Buffer.from('Secret'), a)).toBe(false);
    expect(await verifyPassword(Buffer.from('secret'), 'md5$abc')).toBe(false);
  });

  it('should tell valid, invalid and unknown apart', async () => {
    const credentials = new MemoryChargerCredentials();
    await credentials.set('CP-1', 'pw-1');

    expect(await credentials.verify('CP-1', Buffer.from('pw-1'))).toBe('valid');
    expect(await credentials.verify('CP-1', Buffer.from('pw-2'))).toBe('invalid');
    expect(await credentials.verify('CP-1', undefined)).toBe('invalid');
    expect(await credentials.verify('CP-2', Buffer.from('pw-1'))).toBe('unknown');
  });
});

describe('decideHandshake', () => {
  const ports = {
    credentials: {
      // No password is stored for CP-1's unlisted neighbour NEW-1, nor for CP-2 (listed, its password forgotten).
      verify: (id: string, pw: Buffer | undefined) =>
        Promise.resolve(
          id === 'NEW-1' || id === 'CP-2'
            ? ('unknown' as const)
            : pw?.toString() === `${id}-pw`
              ? ('valid' as const)
              : ('invalid' as const),
        ),
    },
    directory: { find: (id: string) => (id === KNOWN.id || id === 'CP-2' ? KNOWN : undefined) },
    // Generous enough never to lock: the table's attempts come from no address and each identity fails at most once.
    throttle: new AuthThrottle(
      'ocpp',
      { freeFailures: 100, firstLockoutSeconds: 1, maxLockoutSeconds: 1 },
      { now: () => 0, onLockout: () => undefined },
    ),
  };
  const strict: HandshakePolicy = { basicAuth: true, unknownChargers: 'Rejected' };

  it.each<[string, { endpoint: string; identity: string; password?: string }, HandshakePolicy, number | 'ok' | 'held']>(
    [
      ['a known charger with its password', { endpoint: '/ocpp', identity: 'CP-1', password: 'CP-1-pw' }, strict, 'ok'],
      ['a wrong password', { endpoint: '/ocpp', identity: 'CP-1', password: 'x' }, strict, 401],
      ['a missing password', { endpoint: '/ocpp', identity: 'CP-1' }, strict, 401],
      ['another path', { endpoint: '/', identity: 'CP-1', password: 'CP-1-pw' }, strict, 404],
      ['a bad identity', { endpoint: '/ocpp', identity: 'CP 1<script>', password: 'x' }, strict, 400],
      ['an over-long identity', { endpoint: '/ocpp', identity: 'C'.repeat(49), password: 'x' }, strict, 400],
      [
        'an unknown charger when unknown ones are rejected',
        { endpoint: '/ocpp', identity: 'CP-9', password: 'CP-9-pw' },
        strict,
        404,
      ],
      [
        'an unknown charger when they may be pending',
        { endpoint: '/ocpp', identity: 'CP-9', password: 'CP-9-pw' },
        { ...strict, unknownChargers: 'Pending' },
        'held',
      ],
      [
        'an unknown charger with no stored password when they may be pending (held for adoption)',
        { endpoint: '/ocpp', identity: 'NEW-1', password: 'anything-at-all' },
        { ...strict, unknownChargers: 'Pending' },
        'held',
      ],
      [
        'an unknown charger with no stored password when unknown ones are rejected',
        { endpoint: '/ocpp', identity: 'NEW-1', password: 'anything-at-all' },
        strict,
        401,
      ],
      [
        'a listed charger with no stored password, even when unknown ones may be pending',
        { endpoint: '/ocpp', identity: 'CP-2', password: 'anything-at-all' },
        { ...strict, unknownChargers: 'Pending' },
        401,
      ],
      [
        'no password without Basic auth',
        { endpoint: '/ocpp', identity: 'CP-1' },
        { ...strict, basicAuth: false },
        'ok',
      ],
    ],
  )('should decide on %s', async (_name, request, policy, expected) => {
    const decision = await decideHandshake(
      {
        ...request,
        remoteAddress: undefined,
        password: request.password === undefined ? undefined : Buffer.from(request.password),
      },
      policy,
      ports,
    );

    expect(decision.ok ? (decision.held ? 'held' : 'ok') : decision.httpStatus).toBe(expected);
  });
});

describe('toRpcError', () => {
  it('should map AppError codes to OCPP error codes with the bad fields', () => {
    const error = toRpcError(new AppError('message.invalid', 'bad', [{ path: 'a', message: 'm' }])) as Error & {
      rpcErrorCode: string;
      details: unknown;
    };

    expect(error.rpcErrorCode).toBe('PropertyConstraintViolation');
    expect(error.details).toEqual({ issues: [{ path: 'a', message: 'm' }] });
  });

  it('should never leak the text of an unexpected error', () => {
    const error = toRpcError(new Error('ECONNREFUSED 10.0.0.3:5432')) as Error & { rpcErrorCode: string };

    expect(error.rpcErrorCode).toBe('InternalError');
    expect(error.message).toBe('internal error');
  });
});

describe('parsePhaseRotation', () => {
  it.each([
    ['0.RST,1.STR', 'L2L3L1'],
    ['0.TRS', 'L3L1L2'],
    ['RTS', 'L1L3L2'],
    ['0.NotApplicable', undefined],
    [undefined, undefined],
  ])('should read %s', (value, rotation) => {
    expect(parsePhaseRotation(value)).toBe(rotation);
  });
});
