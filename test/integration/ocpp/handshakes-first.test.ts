/**
 * A charger's boot configuration waits while another charger's WebSocket handshake is under way (handshakes-first.ts):
 * after a takeover the whole fleet reconnects at once, and handshakes queued behind the earlier chargers' work timed out.
 * Asserted by order, not by time: the central system's calls to the charger come only after the other handshake ended.
 */
import type net from 'node:net';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';
import { dial, unfinishedUpgrade } from './support/unfinished-upgrade';

const CP1 = { id: 'CP-1', password: 'correct horse battery', phases: 3 as const, maxAmps: 32 };
const CP2 = { id: 'CP-2', password: 'staple battery horse', phases: 3 as const, maxAmps: 32 };

describe('handshakes before the work that follows a connection', () => {
  let fixture: Fixture;
  let cp1: RPCClient;
  let slow: net.Socket | undefined;
  const received: string[] = [];

  beforeEach(async () => {
    received.length = 0;
    fixture = await startCentralSystem([CP1, CP2]);
    cp1 = rawChargePoint({ endpoint: fixture.cs.url, identity: CP1.id, password: CP1.password });
    cp1.handle(({ method }) => {
      received.push(method!);
      return Promise.resolve(method === 'GetConfiguration' ? { configurationKey: [] } : { status: 'Accepted' });
    });
  });

  afterEach(async () => {
    slow?.destroy();
    await cp1.close({ force: true });
    await fixture.close();
  });

  it('should configure a booted charger only once another charger has been answered its upgrade', async () => {
    // Arrange: CP-2's handshake under way (its request not finished), CP-1 connected
    const host = new URL(fixture.cs.url).host;
    slow = await dial(fixture.cs.url, unfinishedUpgrade(host, CP2));
    const answer = new Promise<string>((resolve) => slow!.once('data', (data: Buffer) => resolve(data.toString())));
    await cp1.connect();

    // Act: CP-1 boots, then sends a heartbeat; its configuration would go out between the two answers
    const boot = (await cp1.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X1' })) as {
      status: string;
    };
    await cp1.call('Heartbeat', {});
    const beforeUpgrade = [...received];
    slow.write('\r\n');
    const upgrade = await answer;
    await fixture.events.waitFor('configured', (e) => e.chargerId === CP1.id);

    // Assert
    expect(boot.status).toBe('Accepted');
    expect(beforeUpgrade).toEqual([]);
    expect(upgrade).toMatch(/^HTTP\/1.1 101 /);
    expect(received).toEqual(['ChangeConfiguration', 'ChangeConfiguration', 'GetConfiguration', 'SetChargingProfile']);
  });

  it('should configure a booted charger while a connection never finishes its upgrade request, within the bound', async () => {
    // Arrange
    const host = new URL(fixture.cs.url).host;
    slow = await dial(fixture.cs.url, unfinishedUpgrade(host, CP2));
    await cp1.connect();

    // Act
    await cp1.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X1' });
    const configured = await fixture.events.waitFor('configured', (e) => e.chargerId === CP1.id, 15_000);

    // Assert
    expect(configured.failSafeInstalled).toBe(true);
    expect(slow.destroyed).toBe(false);
  });

  it('should configure a booted charger once another charger left before its upgrade was answered', async () => {
    // Arrange
    const host = new URL(fixture.cs.url).host;
    slow = await dial(fixture.cs.url, unfinishedUpgrade(host, CP2));
    await cp1.connect();
    await cp1.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X1' });
    await cp1.call('Heartbeat', {});
    const beforeLeaving = [...received];

    // Act
    slow.destroy();
    const configured = await fixture.events.waitFor('configured', (e) => e.chargerId === CP1.id, 3_000);

    // Assert
    expect(beforeLeaving).toEqual([]);
    expect(configured.failSafeInstalled).toBe(true);
  });
});
