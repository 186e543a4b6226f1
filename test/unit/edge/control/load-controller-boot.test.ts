/**
 * A charger that boots for real (new, or rebooted and with its profiles lost) holds no fail-safe default until its boot
 * configuration sets it: a car plugging in meanwhile draws the charger's maximum, which stays reserved until then. The
 * boot a cluster master asks for at a takeover is no reboot: the charger keeps its profiles, and nothing more is
 * reserved (else a takeover would reserve every charger's maximum at once).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plugIn, startHarness, testPolicy, testSite, type Harness } from './control-harness';

const allocated = (h: Harness, ref: string) => h.controller.allocation?.connectors.find((c) => c.ref === ref);
const lastLease = (h: Harness, chargerId: string) =>
  h.sender.sent.filter((s) => s.chargerId === chargerId).at(-1)?.lease.amps;
const POLICY = testPolicy({ budget: { unit: 'A', min: 0, max: 48 } });

describe('LoadController, a charger that boots', () => {
  let h: Harness;
  afterEach(async () => h.close());

  const boot = (triggered: boolean) =>
    h.controller.onChargerInput({ type: 'booted', chargerId: 'CP-2', at: h.clock.now(), triggered });

  it("should reserve a rebooted charger's maximum on its idle connectors until it accepts its fail-safe", async () => {
    // Arrange: CP-1's car takes 32 A of a 48 A budget
    h = startHarness(testSite(2), POLICY);
    plugIn(h, 'CP-1', 1);
    await h.settle();

    // Act: CP-2 reboots
    boot(false);
    await h.settle(1_000);
    const whileBooting = { cp1: lastLease(h, 'CP-1'), cp2: allocated(h, 'CP-2/1') };
    h.controller.onChargerInput({
      type: 'configured',
      chargerId: 'CP-2',
      at: h.clock.now(),
      capabilities: { numberOfConnectors: 1 },
      failSafeInstalled: true,
    });
    await h.settle(1_000);

    // Assert: CP-1 makes room for CP-2's 32 A until its fail-safe is in, then gets it back
    expect(whileBooting.cp2).toMatchObject({ amps: 32, reason: 'unconfigured' });
    expect(whileBooting.cp1).toBe(16);
    expect(allocated(h, 'CP-2/1')).toMatchObject({ amps: 0, reason: 'idle' });
    expect(lastLease(h, 'CP-1')).toBe(32);
  });

  it("should end a lease sent before the rebooted charger's fail-safe is in at the fail-safe, not at its maximum", async () => {
    // Arrange: CP-2 reboots and a car starts on it before its boot configuration lands
    h = startHarness(testSite(2), POLICY);
    plugIn(h, 'CP-1', 1);
    await h.settle();
    boot(false);

    // Act
    plugIn(h, 'CP-2', 2);
    await h.settle(1_000);

    // Assert: the lease's tail (what the charger falls back to once the lease runs out, as a TxProfile above the
    // default profile) is the 6 A fail-safe; the two-gateway lab found a 32 A tail sent by a node without its majority
    const leases = h.sender.sent.filter((s) => s.chargerId === 'CP-2').map((s) => s.lease);
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.map((lease) => lease.fallbackAmps)).toEqual(leases.map(() => 6));
  });

  it('should keep reserving the maximum of a charger that refused its fail-safe after a reboot', async () => {
    // Arrange
    h = startHarness(testSite(2), POLICY);
    plugIn(h, 'CP-1', 1);
    await h.settle();

    // Act
    boot(false);
    h.controller.onChargerInput({
      type: 'configured',
      chargerId: 'CP-2',
      at: h.clock.now(),
      capabilities: { numberOfConnectors: 1 },
      failSafeInstalled: false,
    });
    await h.settle(1_000);

    // Assert
    expect(allocated(h, 'CP-2/1')).toMatchObject({ amps: 32, reason: 'unconfigured' });
    expect(lastLease(h, 'CP-1')).toBe(16);
  });

  it('should reserve nothing more for the boot a cluster master asked for (the charger did not reboot)', async () => {
    // Arrange
    h = startHarness(testSite(2), POLICY);
    plugIn(h, 'CP-1', 1);
    await h.settle();

    // Act
    boot(true);
    await h.settle(1_000);

    // Assert
    expect(allocated(h, 'CP-2/1')).toMatchObject({ amps: 0, reason: 'idle' });
    expect(lastLease(h, 'CP-1')).toBe(32);
  });

  it('should give a lease restored at start-up the fail-safe as its tail, even for a charger that booted before the loop started', async () => {
    // Arrange: CP-1's car holds a 32 A lease; the agent stops
    h = startHarness(testSite(2), POLICY);
    plugIn(h, 'CP-1', 1);
    await h.settle();
    await h.stop();

    // Act: the agent starts again; CP-1 (rebooted meanwhile) boots while the first meter poll is awaited, before the
    // loop starts, so it counts at its maximum until its fail-safe is confirmed
    const { dir, clock } = h;
    h = startHarness(testSite(2), POLICY, {
      dir,
      clock,
      connected: false,
      beforeStart: (controller) =>
        controller.onChargerInput({ type: 'booted', chargerId: 'CP-1', at: clock.now(), triggered: false }),
    });

    // Assert: the sender keeps the restored lease with the 6 A fail-safe tail, as a live lease has (not the 32 A maximum)
    expect(h.sender.restoredLeases.map((r) => [r.chargerId, r.lease.amps, r.lease.fallbackAmps])).toEqual([
      ['CP-1', 32, 6],
    ]);
  });
});
