/**
 * A real reboot against the BootNotification a cluster master asks for (TriggerMessage at a takeover), told apart on
 * one connection with a real ocpp-rpc charge point: only a real one makes the control loop reserve the charger's
 * maximum until its fail-safe is back (docs/ocpp.md, "At boot").
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';
import { ALWAYS_MASTER as MASTER } from './support/always-master';

const CHARGER = { id: 'CP-1', password: 'correct horse battery', phases: 3 as const, maxAmps: 32 };
const BOOT = { chargePointVendor: 'Acme', chargePointModel: 'X1' };

/** The test ends while calls may still be on their way: their answers do not matter here. */
const sendBoot = (client: RPCClient) => client.call('BootNotification', BOOT).catch(() => undefined);

describe('a boot we asked for, and a real one', () => {
  let fixture: Fixture;
  let client: RPCClient;

  afterEach(async () => {
    await client.close({ force: true });
    await fixture.close();
  });

  /** A charge point that answers every call Accepted, and sends its boot once it answered a trigger for it. */
  async function connect(onConnected: (client: RPCClient) => void = () => {}): Promise<void> {
    client = rawChargePoint({ endpoint: fixture.cs.url, identity: CHARGER.id, password: CHARGER.password });
    client.handle(({ method, params }) => {
      const asked = method === 'TriggerMessage' && (params as { requestedMessage: string }).requestedMessage;
      // OCPP 1.6 5.17: the answer to the trigger goes first, then the message it asked for
      if (asked === 'BootNotification') setTimeout(() => void sendBoot(client), 20);
      return Promise.resolve({ status: 'Accepted' });
    });
    await client.connect();
    onConnected(client);
  }

  it('should tell the boot a cluster master asked for at a takeover from a reboot (the charger keeps its profiles)', async () => {
    // Arrange
    fixture = await startCentralSystem([CHARGER], {}, undefined, MASTER);

    // Act: the charger did not reboot; it sends its boot because it was asked to
    await connect();
    const booted = await fixture.events.waitFor('booted');

    // Assert
    expect(booted.triggered).toBe(true);
    expect(booted.registration).toBe('Accepted');
  });

  it('should take the boot a charger sends on its own as a reboot, even on the connection a master asks on', async () => {
    // Arrange
    fixture = await startCentralSystem([CHARGER], {}, undefined, MASTER);

    // Act: a charger that rebooted sends its boot first thing, before it answers the master's trigger
    await connect((c) => void sendBoot(c));
    await fixture.events.waitFor('booted', () => fixture.events.events.filter((e) => e.type === 'booted').length >= 2);

    // Assert: its own boot is a reboot; the one it sent after answering the trigger is ours
    const boots = fixture.events.events.flatMap((e) => (e.type === 'booted' ? [e.triggered] : []));
    expect(boots).toEqual([false, true]);
  });

  it('should take every boot as a reboot on a single agent, which asks for none', async () => {
    // Arrange
    fixture = await startCentralSystem([CHARGER]);

    // Act
    await connect((c) => void sendBoot(c));
    const booted = await fixture.events.waitFor('booted');

    // Assert
    expect(booted.triggered).toBe(false);
  });
});
