/**
 * A new master takes a fleet's re-attachments a bounded number at a time, in the order the chargers came
 * (attachment-queue.ts): all at once, the work they set off crowded out the handshakes still waiting. Real ocpp-rpc
 * charge points on loopback that hold the master's calls unanswered, so the count in flight is read at the chargers.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_ATTACHING_CHARGERS } from '../../../edge/ocpp/central-system-server';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { ALWAYS_MASTER } from './support/always-master';
import { rawChargePoint } from './support/raw-charge-point';

const FLEET = Array.from({ length: MAX_ATTACHING_CHARGERS + 8 }, (_, i) => ({
  id: `CP-${String(i).padStart(2, '0')}`,
  password: `password of charger ${i}`,
  phases: 3 as const,
  maxAmps: 32,
}));

describe("a new master's re-attachments, a bounded number at a time", () => {
  let fixture: Fixture;
  const clients: RPCClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
    await fixture.close();
  });

  it('should re-attach at most MAX_ATTACHING_CHARGERS chargers at once, the next in the order they connected', async () => {
    // Arrange: every charger holds the master's calls until it is let go; the order of first calls is kept
    fixture = await startCentralSystem(FLEET, { commandTimeoutMs: 120_000 }, undefined, ALWAYS_MASTER);
    const asked: string[] = [];
    const letGo = new Map<string, () => void>();
    for (const charger of FLEET) {
      const client = rawChargePoint({ endpoint: fixture.cs.url, identity: charger.id, password: charger.password });
      let released = false;
      const waiting: (() => void)[] = [];
      letGo.set(charger.id, () => {
        released = true;
        for (const answer of waiting.splice(0)) answer();
      });
      client.handle(() => {
        if (!asked.includes(charger.id)) asked.push(charger.id);
        if (released) return Promise.resolve({ status: 'Accepted' });
        return new Promise((resolve) => waiting.push(() => resolve({ status: 'Accepted' })));
      });
      clients.push(client);
      await client.connect();
    }
    /** Every frame the master wrote before this reached each charger: a round trip on every connection. */
    const allCaughtUp = () => Promise.all(clients.map((c) => c.call('Heartbeat', {})));

    // Act
    await vi.waitFor(() => expect(asked.length).toBeGreaterThanOrEqual(MAX_ATTACHING_CHARGERS), 30_000);
    await allCaughtUp();
    const whileAllHeld = [...asked];
    letGo.get(FLEET[0]!.id)!();
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(MAX_ATTACHING_CHARGERS), 30_000);
    await allCaughtUp();

    // Assert: the first MAX_ATTACHING_CHARGERS, in order; one more once the first one finished, the next in line
    const ids = FLEET.map((c) => c.id);
    expect(whileAllHeld).toEqual(ids.slice(0, MAX_ATTACHING_CHARGERS));
    expect(asked).toEqual(ids.slice(0, MAX_ATTACHING_CHARGERS + 1));
  }, 60_000);
});
