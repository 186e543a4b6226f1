import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';

const CP = { id: 'CP-LOCK', password: 'right-password-123', phases: 3 as const, maxAmps: 16 };

/** The HTTP answer to a WebSocket handshake with these Basic credentials (no upgrade expected). */
function handshake(url: string, identity: string, password: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url.replace('ws:', 'http:')}/${identity}`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': 'ocpp1.6',
        Authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}`,
      },
    });
    req.once('response', (response: IncomingMessage) => {
      response.resume();
      resolve(response);
    });
    req.once('upgrade', (response: IncomingMessage, socket) => {
      socket.destroy();
      resolve(response);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('OCPP basic auth: back-off and lockout', () => {
  let fixture: Fixture;
  let clock: ManualClock;
  const clients: RPCClient[] = [];
  const connect = async (identity: string, password: string) => {
    const client = rawChargePoint({ endpoint: fixture.cs.url, identity, password });
    clients.push(client);
    await client.connect();
    return client;
  };

  beforeEach(async () => {
    clock = new ManualClock();
    fixture = await startCentralSystem([CP], {}, () => clock.now());
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
    await fixture.close();
  });

  it('should refuse the right password with 429 and Retry-After after five wrong ones, and let the charger in after the wait', async () => {
    // Arrange
    for (let i = 0; i < 5; i++)
      expect((await handshake(fixture.cs.url, CP.id, `wrong-password-${i}`)).statusCode).toBe(401);

    // Act
    const locked = await handshake(fixture.cs.url, CP.id, CP.password);
    clock.advance(Number(locked.headers['retry-after']) * 1000);
    const client = await connect(CP.id, CP.password);

    // Assert
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(client.state).toBe(1);
    expect(fixture.lockouts).toEqual([
      expect.objectContaining({ boundary: 'ocpp', kind: 'identity', key: CP.id, failures: 5 }),
      expect.objectContaining({ boundary: 'ocpp', kind: 'address', key: '127.0.0.1', failures: 5 }),
    ]);
    expect(
      fixture.logs.some((l) => l.msg === 'ocpp handshake refused' && l.reason === 'too many failed attempts'),
    ).toBe(true);
  });

  it('should lock out an address that guesses across identities, while another charger keeps its connection', async () => {
    // Arrange
    const good = await connect(CP.id, CP.password);

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await handshake(fixture.cs.url, `CP-GUESS-${i}`, 'some-password-123')).statusCode ?? 0);
    const heartbeat = await good.call('Heartbeat', {});

    // Assert
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(heartbeat).toHaveProperty('currentTime');
  });
});
