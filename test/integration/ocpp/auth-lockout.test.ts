import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';
import { ocppHandshake } from '../../support/ocpp-handshake';

const CP = { id: 'CP-LOCK', password: 'right-password-123', phases: 3 as const, maxAmps: 16 };

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
      expect((await ocppHandshake(fixture.cs.url, CP.id, `wrong-password-${i}`)).statusCode).toBe(401);

    // Act
    const locked = await ocppHandshake(fixture.cs.url, CP.id, CP.password);
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
      statuses.push((await ocppHandshake(fixture.cs.url, `CP-GUESS-${i}`, 'some-password-123')).statusCode ?? 0);
    const heartbeat = await good.call('Heartbeat', {});

    // Assert
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(heartbeat).toHaveProperty('currentTime');
  });
});
