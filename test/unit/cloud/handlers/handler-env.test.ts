import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { ApiEnvSchema, parseHandlerEnv, TableEnvSchema } from '../../../../cloud/handlers/handler-env';
import { oncePerContainer } from '../../../../cloud/handlers/once-per-container';

describe('parseHandlerEnv', () => {
  it('should apply the defaults and split the algorithm list', () => {
    const env = parseHandlerEnv(ApiEnvSchema, {
      TABLE_NAME: 'fleet',
      AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/pool',
      IOT_POLICY_NAME: 'gw',
      AUTH_ALGORITHMS: 'RS256, ES256',
    });
    expect(env).toMatchObject({
      TELEMETRY_RETENTION_DAYS: 30,
      EVENT_RETENTION_DAYS: 90,
      LOG_LEVEL: 'info',
      AUTH_TENANT_CLAIM: 'custom:tenant',
      AUTH_ALGORITHMS: ['RS256', 'ES256'],
    });
  });

  it('should refuse a bad environment listing every bad variable', () => {
    let caught: unknown;
    try {
      parseHandlerEnv(ApiEnvSchema, {
        AUTH_ISSUER: 'not a url',
        TELEMETRY_RETENTION_DAYS: '0',
        IOT_DATA_ENDPOINT: 'https://x',
      });
    } catch (error) {
      caught = error;
    }
    expect(AppError.match(caught, 'config.invalid')).toBe(true);
    const paths = (caught as AppError).details.map((d) => d.path).sort();
    expect(paths).toEqual([
      'AUTH_ISSUER',
      'IOT_DATA_ENDPOINT',
      'IOT_POLICY_NAME',
      'TABLE_NAME',
      'TELEMETRY_RETENTION_DAYS',
    ]);
  });

  it('should read only its own variables', () => {
    expect(parseHandlerEnv(TableEnvSchema, { TABLE_NAME: 'fleet', PATH: '/bin' })).not.toHaveProperty('PATH');
  });
});

describe('oncePerContainer', () => {
  it('should build once and share the result between invocations', async () => {
    const build = vi.fn(() => Promise.resolve({ built: true }));
    const deps = oncePerContainer(build);
    const [a, b] = await Promise.all([deps(), deps()]);
    expect(a).toBe(b);
    await deps();
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('should forget a failed build so that the next invocation retries', async () => {
    const build = vi.fn().mockRejectedValueOnce(new Error('throttled')).mockResolvedValueOnce('ok');
    const deps = oncePerContainer(build as () => Promise<string>);
    await expect(deps()).rejects.toThrow('throttled');
    await expect(deps()).resolves.toBe('ok');
    expect(build).toHaveBeenCalledTimes(2);
  });
});
