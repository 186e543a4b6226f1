/**
 * A charger that reconnects (its link dropped, or the agent restarted) goes on enforcing the lease it accepted until
 * the lease runs out (OCPP 1.6: a charging profile stays in force without its central system). The agent sends its
 * limits again, but until the charger answers it must reserve what the charger may still enforce: the old lease, or
 * the fail-safe when that is higher (a charger that rebooted lost its profile). It used to forget the lease at the
 * reconnection and reserve only the fail-safe, handing the rest of the lease to the other cars.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCEPTED,
  plugIn,
  SETTINGS,
  startHarness,
  TIMEOUT,
  testPolicy,
  testSite,
  type Harness,
} from './control-harness';

const leasesTo = (h: Harness, chargerId: string) =>
  h.sender.sent.filter((s) => s.chargerId === chargerId).map((s) => s.lease.amps);
const allocated = (h: Harness, ref: string) => h.controller.allocation?.connectors.find((c) => c.ref === ref);

describe('LoadController, a charger that reconnects with a lease running', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('should reserve the lease a reconnected charger accepted until it runs out, when the charger stops answering', async () => {
    // Arrange: CP-1 alone takes the whole 32 A budget as a 60 s lease
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle();
    const leasedAt = h.clock.now();

    // Act: CP-1's link drops and comes back, then it stops answering; CP-2's car plugs in
    h.controller.onChargerInput({ type: 'disconnected', chargerId: 'CP-1', at: h.clock.now() });
    await h.settle();
    h.sender.respond = (id) => (id === 'CP-1' ? TIMEOUT : ACCEPTED);
    h.controller.onChargerInput({ type: 'connected', chargerId: 'CP-1', at: h.clock.now() });
    plugIn(h, 'CP-2', 2);
    const sentBefore = h.sender.sent.length;
    await h.settle(SETTINGS.leaseSeconds * 1000 - (h.clock.now() - leasedAt) - 1_000);
    const whileLeased = h.sender.sent.slice(sentBefore).filter((s) => s.chargerId === 'CP-2');
    await h.settle(1_000 + SETTINGS.carResponseMs + 1_000);

    // Assert: CP-2 gets nothing above the 6 A fail-safe it holds without a lease while CP-1 may still draw 32 A, then
    // the 26 A beside CP-1's 6 A fail-safe
    expect(leasesTo(h, 'CP-1')[0]).toBe(32);
    expect(allocated(h, 'CP-1/1')?.reason).toBe('unresponsive');
    expect(whileLeased.filter((s) => s.lease.amps > 6)).toEqual([]);
    expect(leasesTo(h, 'CP-2').at(-1)).toBe(26);
  });

  it("should not hand out an unanswering charger's pre-restart lease after the agent restarts", async () => {
    // Arrange: CP-1 alone takes the whole 32 A budget as a 60 s lease, then the agent stops
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle();
    const leasedAt = h.clock.now();
    await h.stop();
    h.clock.advance(5_000);

    // Act: the agent starts again on the same data; CP-1 reconnects (its transaction runs on) but does not answer,
    // and CP-2's car plugs in
    h = startHarness(testSite(2), testPolicy(), { dir: h.dir, clock: h.clock, connected: false });
    h.sender.respond = (id) => (id === 'CP-1' ? TIMEOUT : ACCEPTED);
    h.controller.onChargerInput({ type: 'connected', chargerId: 'CP-1', at: h.clock.now() });
    plugIn(h, 'CP-2', 2);
    await h.settle(SETTINGS.leaseSeconds * 1000 - (h.clock.now() - leasedAt) - 1_000);
    const whileLeased = leasesTo(h, 'CP-2');
    await h.settle(1_000 + SETTINGS.carResponseMs + 1_000);

    // Assert: no round after the restart gives CP-2 more than its fail-safe while CP-1's lease may still hold 32 A
    expect(whileLeased.filter((amps) => amps > 6)).toEqual([]);
    expect(leasesTo(h, 'CP-2').at(-1)).toBe(26);
  });

  it("should give the room of a pre-restart lease's cut to another car only once the cut car had time to follow", async () => {
    // Arrange: CP-1 alone takes the whole 32 A budget as a 60 s lease, then the agent stops and starts again
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle();
    await h.stop();
    h.clock.advance(5_000);
    h = startHarness(testSite(2), testPolicy(), { dir: h.dir, clock: h.clock, connected: false });

    // Act: CP-1 reconnects and answers; CP-2's car plugs in, so CP-1 is cut to 16 A and CP-2 raised to 16 A
    h.controller.onChargerInput({ type: 'connected', chargerId: 'CP-1', at: h.clock.now() });
    plugIn(h, 'CP-2', 2);
    await h.settle(SETTINGS.carResponseMs * 2);

    // Assert: CP-2's raise waits until CP-1's car, cut from the 32 A it held before the restart, had time to follow
    const cut = h.sender.sent.find((s) => s.chargerId === 'CP-1' && s.lease.amps === 16);
    const raise = h.sender.sent.find((s) => s.chargerId === 'CP-2' && s.lease.amps > 6);
    expect(cut).toBeDefined();
    expect(raise?.lease.amps).toBe(16);
    expect(raise!.at - cut!.at).toBeGreaterThanOrEqual(SETTINGS.carResponseMs);
  });
});
