import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_HELD_CHARGERS } from '../../../edge/ocpp/central-system-server';
import { eventually } from '../../support/eventually';
import { ocppHandshake } from '../../support/ocpp-handshake';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';

const GOOD = { id: 'CP-GOOD', password: 'good-password-123', phases: 3 as const, maxAmps: 16 };
const OTHER = { id: 'CP-OTHER', password: 'other-password-456', phases: 1 as const, maxAmps: 32 };

/** Resolves with the next frame the client receives. */
function nextFrame(client: RPCClient): Promise<unknown[]> {
  return new Promise((resolve) => {
    const listener = ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      if (outbound) return;
      client.off('message', listener);
      resolve(JSON.parse(String(message)) as unknown[]);
    };
    client.on('message', listener);
  });
}

function closed(client: RPCClient): Promise<{ code: number }> {
  return new Promise((resolve) => client.once('close', resolve));
}

describe('connection security', () => {
  let fixture: Fixture;
  const clients: RPCClient[] = [];
  const connect = async (options: Parameters<typeof rawChargePoint>[0]) => {
    const client = rawChargePoint(options);
    clients.push(client);
    await client.connect();
    return client;
  };

  beforeEach(async () => {
    fixture = await startCentralSystem([GOOD, OTHER], { unknownChargers: 'Pending' });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
    await fixture.close();
  });

  it.each([
    ['a wrong password', { identity: GOOD.id, password: 'guess' }, 401],
    ['no password', { identity: GOOD.id }, 401],
    ['an identity outside [A-Za-z0-9._:-]', { identity: 'bad id!', password: GOOD.password }, 400],
    ['an identity with a slash', { identity: 'CP/GOOD', password: GOOD.password }, 400],
  ])('should refuse %s at the handshake', async (_name, options, httpStatus) => {
    // Act
    const attempt = connect({ endpoint: fixture.cs.url, ...options });

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: httpStatus });
    expect(fixture.events.of('connected')).toEqual([]);
  });

  it('should ask a charger that sends no password for it (401 with a Basic challenge)', async () => {
    // Act: a handshake without Authorization, as chargers that send credentials only once challenged do
    const response = await ocppHandshake(fixture.cs.url, GOOD.id, undefined);

    // Assert
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="ocpp", charset="UTF-8"');
  });

  it.each([
    ['empty', ''],
    ['with an empty name', 'ocpp1.6, '],
    ['duplicated', 'ocpp1.6, ocpp1.6'],
  ])('should answer 400 to a Sec-WebSocket-Protocol header that is %s, log it and stay up', async (_name, header) => {
    // Act
    const response = await ocppHandshake(fixture.cs.url, GOOD.id, GOOD.password, {
      'Sec-WebSocket-Protocol': header,
    });
    const client = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(client.state).toBe(1);
    expect(fixture.logs.filter((l) => l.msg === 'ocpp handshake refused').map((l) => l.reason)).toEqual([
      'malformed Sec-WebSocket-Protocol header',
    ]);
  });

  it('should answer 400 to an identity that is not valid percent-encoding, and stay up', async () => {
    // Act: ocpp-rpc decodes the identity before any check of its own, and its decoding error went unhandled
    const response = await ocppHandshake(fixture.cs.url, '%E0%A4%A', GOOD.password);
    const client = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(client.state).toBe(1);
  });

  it('should say goodbye to connected chargers with a 1001 close frame when it stops', async () => {
    // Arrange
    const client = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });
    const bye = closed(client);

    // Act
    await fixture.close();

    // Assert: going away, not an abnormal 1006 drop
    expect((await bye).code).toBe(1001);
  });

  it('should refuse any path other than /ocpp/<id>', async () => {
    const attempt = connect({
      endpoint: fixture.cs.url.replace('/ocpp', '/admin'),
      identity: GOOD.id,
      password: GOOD.password,
    });

    await expect(attempt).rejects.toMatchObject({ code: 404 });
  });

  it('should not agree to permessage-deflate, which would hold zlib memory per connection', async () => {
    // Act
    const response = await ocppHandshake(fixture.cs.url, GOOD.id, GOOD.password, {
      'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
    });

    // Assert
    expect(response.statusCode).toBe(101);
    expect(response.headers['sec-websocket-protocol']).toBe('ocpp1.6');
    expect(response.headers['sec-websocket-extensions']).toBeUndefined();
  });

  it('should answer an unknown charger with valid credentials as Pending, without configuring it', async () => {
    // Arrange
    await fixture.credentials.set('CP-NEW', 'new-password-789');
    const client = await connect({ endpoint: fixture.cs.url, identity: 'CP-NEW', password: 'new-password-789' });

    // Act
    const boot = (await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' })) as {
      status: string;
    };

    // Assert
    expect(boot.status).toBe('Pending');
    expect(fixture.events.of('booted', 'CP-NEW')[0]?.registration).toBe('Pending');
  });

  it(`should hold at most ${MAX_HELD_CHARGERS} unknown chargers for adoption at once, and take the next once one leaves`, async () => {
    // Arrange: identities the site does not list, with no password stored that could be checked
    const held = await Promise.all(
      Array.from({ length: MAX_HELD_CHARGERS }, (_, i) =>
        connect({ endpoint: fixture.cs.url, identity: `HELD-${i + 1}`, password: 'whatever-it-says-1' }),
      ),
    );

    // Act
    const oneTooMany = connect({ endpoint: fixture.cs.url, identity: 'HELD-X', password: 'whatever-it-says-1' });
    await expect(oneTooMany).rejects.toMatchObject({ code: 503 });
    await held[0]?.close();
    await eventually('the first held charger gone', () => !fixture.cs.isConnected('HELD-1'));
    const next = await connect({ endpoint: fixture.cs.url, identity: 'HELD-X', password: 'whatever-it-says-1' });
    const boot = (await next.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' })) as {
      status: string;
    };

    // Assert
    expect(boot.status).toBe('Pending');
    expect(fixture.cs.isConnected(GOOD.id)).toBe(false);
    expect((await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password })).identity).toBe(
      GOOD.id,
    );
  });

  it('should answer malformed frames and schema violations with CALLERRORs while another charger carries on', async () => {
    // Arrange
    const bad = await connect({
      endpoint: fixture.cs.url,
      identity: GOOD.id,
      password: GOOD.password,
      strictMode: false,
    });
    const good = await connect({ endpoint: fixture.cs.url, identity: OTHER.id, password: OTHER.password });

    // Act
    const notJson = nextFrame(bad);
    bad.sendRaw('this is not json');
    const notJsonReply = await notJson;
    const violation = bad
      .call('StatusNotification', { connectorId: 1, status: 'Charging' })
      .catch((error: unknown) => error);
    const wrongType = bad.call('MeterValues', { connectorId: 'one', meterValue: [] }).catch((error: unknown) => error);
    const heartbeat = (await good.call('Heartbeat', {})) as { currentTime: string };

    // Assert
    expect(notJsonReply.slice(0, 3)).toEqual([4, '-1', 'RpcFrameworkError']);
    expect(await violation).toMatchObject({ rpcErrorCode: 'OccurrenceConstraintViolation' });
    expect(await wrongType).toMatchObject({ rpcErrorCode: 'TypeConstraintViolation' });
    expect(Date.parse(heartbeat.currentTime)).not.toBeNaN();
    expect(fixture.logs.filter((l) => l.msg === 'ocpp schema violation').map((l) => l.method)).toEqual([
      'StatusNotification',
      'MeterValues',
    ]);
  });

  it('should answer a call nested 20,000 deep with a CALLERROR carrying its message id, and keep the connection', async () => {
    // Arrange
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const client = await connect({
      endpoint: fixture.cs.url,
      identity: GOOD.id,
      password: GOOD.password,
      strictMode: false,
    });
    const closedEarly = vi.fn();
    client.once('close', closedEarly);

    // Act
    const reply = nextFrame(client);
    client.sendRaw(`[2,"deep-1","DataTransfer",{"vendorId":"acme","data":"x","extra":${deep}}]`);
    const answer = await Promise.race([
      reply,
      closed(client).then(({ code }) => Promise.reject(new Error(`closed with ${code}`))),
    ]);
    const topLevel = nextFrame(client);
    client.sendRaw(deep);
    const topLevelAnswer = await topLevel;
    const heartbeat = await client.call('Heartbeat', {});

    // Assert
    expect(answer.slice(0, 3)).toEqual([4, 'deep-1', 'PropertyConstraintViolation']);
    expect(answer[4]).not.toHaveProperty('data');
    expect(topLevelAnswer.slice(0, 3)).toEqual([4, '-1', 'RpcFrameworkError']);
    expect(heartbeat).toHaveProperty('currentTime');
    expect(closedEarly).not.toHaveBeenCalled();
  });

  it('should disconnect a charger that floods bad frames, and only that one', async () => {
    // Arrange
    const bad = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });
    const good = await connect({ endpoint: fixture.cs.url, identity: OTHER.id, password: OTHER.password });
    const badClosed = closed(bad);

    // Act
    for (let i = 0; i < 10; i++) bad.sendRaw(`garbage ${i}`);
    const { code } = await badClosed;
    const heartbeat = await good.call('Heartbeat', {});

    // Assert
    expect(code).toBe(1002);
    expect(heartbeat).toHaveProperty('currentTime');
    expect(fixture.cs.connectedChargers()).toEqual([OTHER.id]);
  });

  it('should drop a charger that sends an oversized frame, and only that one', async () => {
    // Arrange
    const bad = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });
    const good = await connect({ endpoint: fixture.cs.url, identity: OTHER.id, password: OTHER.password });
    const badClosed = closed(bad);

    // Act
    bad.sendRaw(JSON.stringify([2, 'x', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(100_000) }]));
    const { code } = await badClosed;
    const heartbeat = await good.call('Heartbeat', {});

    // Assert
    expect(code).toBe(1009);
    expect(heartbeat).toHaveProperty('currentTime');
  });

  it('should let a second connection with the same identity replace the first: close 4000 with a reason, a log line and an event, no offline report', async () => {
    // Arrange: two real ocpp-rpc clients with the same identity, as a charger that reconnects before its old connection timed out
    const first = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });
    const firstClosed = closed(first) as Promise<{ code: number; reason: Buffer | string }>;

    // Act
    const second = await connect({ endpoint: fixture.cs.url, identity: GOOD.id, password: GOOD.password });
    const { code, reason } = await firstClosed;
    const heartbeat = await second.call('Heartbeat', {});

    // Assert
    expect(code).toBe(4000);
    expect(String(reason)).toBe('replaced by a newer connection with the same identity');
    expect(heartbeat).toHaveProperty('currentTime');
    expect(fixture.cs.connectedChargers()).toEqual([GOOD.id]);
    expect(fixture.events.of('connected', GOOD.id)).toHaveLength(2);
    expect(fixture.events.of('connectionReplaced', GOOD.id)).toEqual([
      expect.objectContaining({ remoteAddress: '127.0.0.1', previousAddress: '127.0.0.1' }),
    ]);
    expect(fixture.events.of('disconnected', GOOD.id)).toEqual([]);
    expect(
      fixture.logs.filter((l) => l.msg === 'ocpp connection replaced by a newer one with the same identity'),
    ).toEqual([
      expect.objectContaining({ chargerId: GOOD.id, remoteAddress: '127.0.0.1', previousAddress: '127.0.0.1' }),
    ]);
  });
});
