/**
 * A cluster master's re-attachment of a charger that booted by itself on the new connection (the simulator's chargers
 * do, and so do chargers that rebooted): it is not asked for a boot again, so it is configured once on that
 * connection, not twice, and its own boot stays a real one for the control loop. A real ocpp-rpc charge point on
 * loopback; the order is held by another charger's unfinished handshake (handshakes-first.ts), not by time.
 */
import type net from 'node:net';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { ALWAYS_MASTER } from './support/always-master';
import { rawChargePoint } from './support/raw-charge-point';
import { dial, unfinishedUpgrade } from './support/unfinished-upgrade';

const CP1 = { id: 'CP-1', password: 'correct horse battery', phases: 3 as const, maxAmps: 32 };
const CP2 = { id: 'CP-2', password: 'staple battery horse', phases: 3 as const, maxAmps: 32 };
const BOOT = { chargePointVendor: 'Acme', chargePointModel: 'X1' };

describe("a new master's re-attachment of a charger that booted by itself", () => {
  let fixture: Fixture;
  let cp1: RPCClient;
  let slow: net.Socket | undefined;
  /** The calls CP-1 received, a TriggerMessage with what it asked for. */
  const received: string[] = [];
  let statusAsked: Promise<void>;

  beforeEach(async () => {
    received.length = 0;
    fixture = await startCentralSystem([CP1, CP2], {}, undefined, ALWAYS_MASTER);
    cp1 = rawChargePoint({ endpoint: fixture.cs.url, identity: CP1.id, password: CP1.password });
    let onStatusAsked = () => {};
    statusAsked = new Promise((resolve) => (onStatusAsked = resolve));
    // Like the simulator's charger: a trigger for a boot is answered, then the boot is sent.
    cp1.handle(({ method, params }) => {
      const asked = method === 'TriggerMessage' ? (params as { requestedMessage: string }).requestedMessage : undefined;
      received.push(asked === undefined ? method! : `${method!}(${asked})`);
      if (asked === 'BootNotification')
        setImmediate(() => void cp1.call('BootNotification', BOOT).catch(() => undefined));
      if (asked === 'StatusNotification') onStatusAsked();
      return Promise.resolve(method === 'GetConfiguration' ? { configurationKey: [] } : { status: 'Accepted' });
    });
  });

  afterEach(async () => {
    slow?.destroy();
    await cp1.close({ force: true });
    await fixture.close();
  });

  it('should not ask a charger that booted on the new connection for a boot, and configure it once', async () => {
    // Arrange: the re-attachment waits behind CP-2's unfinished handshake while CP-1 boots by itself
    slow = await dial(fixture.cs.url, unfinishedUpgrade(new URL(fixture.cs.url).host, CP2));
    await cp1.connect();
    await cp1.call('BootNotification', BOOT);
    await cp1.call('Heartbeat', {});

    // Act: the handshake ends; the re-attachment and the boot configuration run
    slow.write('\r\n');
    await fixture.events.waitFor('configured', (e) => e.chargerId === CP1.id);
    await statusAsked;
    await cp1.call('Heartbeat', {});

    // Assert: its statuses are asked for, its boot is not; one boot configuration; its boot is a real one
    expect(received).not.toContain('TriggerMessage(BootNotification)');
    expect(received).toContain('TriggerMessage(StatusNotification)');
    expect(received.filter((m) => m === 'ChangeConfiguration')).toHaveLength(2);
    expect(received.filter((m) => m === 'SetChargingProfile')).toHaveLength(1);
    expect(fixture.events.events.flatMap((e) => (e.type === 'booted' ? [e.triggered] : []))).toEqual([false]);
  });
});
