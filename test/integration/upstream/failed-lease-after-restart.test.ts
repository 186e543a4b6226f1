/**
 * A lease the charger refuses keeps following the CSMS after an agent restart, capped: the new agent (same SQLite
 * file) leases the running transaction again under the CSMS's stored profile, and when the charger refuses that lease
 * it is still sent again at each change of the CSMS, never above its own allocation (the control loop's retries are
 * held back for a minute here, so every lease the charger sees in between was sent by the lease sender following it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileFrame } from '../edge/support/profile-log';
import { startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { txProfile } from '../../unit/edge/upstream/csms-profiles';
import { TsOcppCsms } from './support/ts-ocpp-csms';

/**
 * Leases of an hour, the control loop's retries a minute apart; a fail-safe of 16 A, above the CSMS's limits here (after
 * a restart the control loop counts a reconnected charger at its fail-safe until it accepts a lease, and a refused
 * lease follows the CSMS with no more than that).
 */
const options = (csms: TsOcppCsms) => ({
  chargers: 1,
  upstream: { csmsUrl: csms.url },
  control: { leaseSeconds: 3600, retryInitialMs: 60_000, retryMaxMs: 60_000 },
  policy: { failSafe: { connectorAmps: 16 } },
});

const leaseCalls = (frames: readonly ProfileFrame[], from: number) =>
  frames.slice(from).filter((f) => f.kind === 'call' && f.purpose === 'TxProfile');
const leaseAnswered = (frames: readonly ProfileFrame[], from: number) =>
  frames.slice(from).some((f) => f.kind === 'answer' && f.purpose === 'TxProfile');

describe('edge agent in front of a CSMS: a refused lease after a restart', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await edge?.close();
    for (const close of closers.splice(0)) await close();
    await csms?.close();
    edge = csms = undefined;
  });

  it('should go on sending a refused lease again at each CSMS change after a restart, capped and never above its allocation', async () => {
    // Arrange: the CSMS holds the car at 10 A; the agent restarts on the same data, and the charger refuses the new
    // agent's lease (the site's 32 A capped to the CSMS's 10 A)
    csms = await TsOcppCsms.start();
    edge = await startEdge(options(csms));
    const charger = await edge.charger('CP-1');
    const transactionId = await edge.startSession(charger);
    await csms.send('CP-1', 'SetChargingProfile', txProfile(transactionId, 10));
    await edge.events.until('the CSMS limit in force', () => charger.offeredAmps === 10);
    const { dataDir } = edge;
    const ocppPort = edge.agent.ocppPort;
    await edge.stopAgent();
    const before = edge;
    closers.push(() => before.close(true));
    const { frames } = before.profiles;
    edge = await startEdge({ ...options(csms), dataDir, ocppPort });
    const restartedAt = frames.length;
    // From its reconnection on, the charger refuses every profile (seen in the field); it keeps the lease it holds
    (charger.spec as { rejectsProfiles: boolean }).rejectsProfiles = true;
    await charger.connect();
    // The control loop hears of the refusal once the charger refused the lease with its fail-safe tail and without
    await edge.events.until('the new agent’s lease refused', () => (edge?.events.of('profileFailed').length ?? 0) > 0);

    // Act: the CSMS lowers its limit, then raises it above the site's share
    const cutAt = frames.length;
    await csms.send('CP-1', 'SetChargingProfile', txProfile(transactionId, 8));
    await eventually('the cut sent again and answered', () => leaseAnswered(frames, cutAt));
    const raisedAt = frames.length;
    await csms.send('CP-1', 'SetChargingProfile', txProfile(transactionId, 20));
    await eventually('the raise followed and answered', () => leaseAnswered(frames, raisedAt));

    // Assert: the new agent's own lease went out under the CSMS's stored 10 A; the refused lease followed the cut to
    // 8 A at once, and the raise only up to its own allocation (10 A), never to the CSMS's 20 A or the site's 32 A
    expect(leaseCalls(frames, restartedAt)[0]?.limit).toBe(10);
    expect(leaseCalls(frames.slice(0, raisedAt), cutAt).map((f) => f.limit)).toEqual([8]);
    expect(leaseCalls(frames, raisedAt).map((f) => f.limit)).toEqual([10]);
    expect(frames.slice(restartedAt).filter((f) => f.kind === 'answer' && f.purpose === 'TxProfile')).toEqual(
      leaseCalls(frames, restartedAt).map(() => expect.objectContaining({ status: 'Rejected' }) as unknown),
    );
    // The charger still applies the lease it accepted before the restart
    expect(charger.offeredAmps).toBe(10);
  });
});
