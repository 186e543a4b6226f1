/**
 * A cluster node that becomes master adopts the open transactions another master started (edge/cluster/
 * transaction-adoption.ts). That master's leases on them are unknown here and may still run: the failover tests found
 * a new master leasing the first charger that re-attached 32 A while two others still ran the old master's 16 A
 * leases (64 A on a 63 A fuse). The controller takes an adopted transaction's lease as the charger's maximum until a
 * lease sent at the adoption would have run out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onTime, plugIn, SETTINGS, startHarness, testPolicy, testSite, type Harness } from './control-harness';

const lastLease = (h: Harness, chargerId: string) =>
  h.sender.sent.filter((s) => s.chargerId === chargerId).at(-1)?.lease.amps;

const adoptedStart = (at: number) =>
  ({
    type: 'transactionStarted',
    adopted: true,
    chargerId: 'CP-1',
    at,
    connectorId: 1,
    transactionId: 7,
    idTag: 'TAG',
    status: 'Accepted',
    meterStartWh: 0,
    startedAt: onTime(at),
  }) as const;

describe('LoadController taking over from another master', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("should reserve the ledger's lease of an adopted transaction until its validTo, then the fail-safe", async () => {
    // Arrange: a 48 A budget; CP-1 has not re-attached yet, the ledger says it holds 20 A for 5 s more
    h = startHarness(testSite(2), testPolicy({ budget: { unit: 'A', min: 6, max: 48 } }), { connected: false });
    const at = h.clock.now();
    h.controller.onChargerInput(adoptedStart(at));

    // Act
    h.controller.inheritLease({
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 7,
      amps: 20,
      phases: 3,
      validTo: at + 5_000,
    });
    plugIn(h, 'CP-2', 8);
    await h.settle();
    const whileLeased = lastLease(h, 'CP-2');
    await h.settle(5_000 + SETTINGS.carResponseMs);

    // Assert: 48 A less CP-1's 20 A lease (not its 32 A maximum), then less its 6 A fail-safe
    expect(whileLeased).toBe(28);
    expect(lastLease(h, 'CP-2')).toBe(32);
  });

  it('should keep a running transaction at its fail-safe when its lease in the ledger has run out', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy({ budget: { unit: 'A', min: 6, max: 48 } }), { connected: false });
    const at = h.clock.now();
    h.controller.onChargerInput(adoptedStart(at));

    // Act: the old master's lease ended before the takeover
    h.controller.inheritLease({
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 7,
      amps: 32,
      phases: 3,
      validTo: at - 1,
    });
    plugIn(h, 'CP-2', 8);
    await h.settle(SETTINGS.carResponseMs);

    // Assert: CP-2 gets its maximum beside CP-1's 6 A fail-safe
    expect(lastLease(h, 'CP-2')).toBe(32);
  });

  it('should ignore a lease in the ledger for a transaction not running here', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy({ budget: { unit: 'A', min: 6, max: 48 } }), { connected: false });
    const at = h.clock.now();

    // Act
    h.controller.inheritLease({
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 7,
      amps: 32,
      phases: 3,
      validTo: at + 60_000,
    });
    plugIn(h, 'CP-2', 8);
    await h.settle();

    // Assert: CP-1 (offline, no session) holds its fail-safe only
    expect(lastLease(h, 'CP-2')).toBe(32);
  });

  it("should reserve an adopted transaction's charger maximum until the old master's lease has run out", async () => {
    // Arrange: a 48 A budget; CP-1 has not re-attached yet
    h = startHarness(testSite(2), testPolicy({ budget: { unit: 'A', min: 6, max: 48 } }), { connected: false });

    // Act: the ledger says CP-1 runs a transaction the old master started; CP-2 re-attaches with its car
    const at = h.clock.now();
    h.controller.onChargerInput({
      type: 'transactionStarted',
      adopted: true,
      chargerId: 'CP-1',
      at,
      connectorId: 1,
      transactionId: 7,
      idTag: 'TAG',
      status: 'Accepted',
      meterStartWh: 0,
      startedAt: onTime(at),
    });
    plugIn(h, 'CP-2', 8);
    await h.settle();
    const whileUnknown = lastLease(h, 'CP-2');
    // Every lease the old master sent has run out by then; CP-1's car then has carResponseMs to follow its fail-safe
    await h.settle(SETTINGS.leaseSeconds * 1000 + SETTINGS.carResponseMs);

    // Assert: 48 A less CP-1's 32 A maximum, then 48 A less its 6 A fail-safe (CP-2's own maximum is 32 A)
    expect(whileUnknown).toBe(16);
    expect(lastLease(h, 'CP-2')).toBe(32);
  });
});
