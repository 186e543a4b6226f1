/**
 * The leader renews its lease at the configured period (cluster.leaseRenewalMs), not at a third of the TTL: a shorter
 * lease keeps the argument of docs/cluster.md ("Self-fencing": a master must outlast an etcd leader election between
 * two renewals) only if renewals come more often. On a manual clock and a real etcd: with a 5 s TTL, a 1.5 s margin and
 * a renewal every second, the renewal one second after the election moves the fence deadline to 4.5 s; etcd then
 * freezes, and at 3.6 s the node still leads. Renewed every third of the TTL (1.67 s), its deadline stayed at 3.5 s
 * and it fenced itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClockLeader, realPause } from './support/manual-clock-leader';

const TTL_SECONDS = 5;
const FENCE_MARGIN_MS = 1_500;
const RENEW_EVERY_MS = 1_000;
/** Long enough that nothing the frozen member holds up fails within the test. */
const CALL_TIMEOUT_MS = 10_000;
const WAIT_MS = 10_000;

describe('a leader renewing at its configured period', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should renew one period after its election, so that it still leads past where a third of the TTL had fenced it', async () => {
    // Arrange: one member, the agent's etcd client, a node elected at manual time 0
    const { etcd, clock, startMs, leadership, terms, fences } = await manualClockLeader(
      {
        electionPrefix: 'renewal-period',
        ttlSeconds: TTL_SECONDS,
        fenceMarginMs: FENCE_MARGIN_MS,
        renewEveryMs: RENEW_EVERY_MS,
        callTimeoutMs: CALL_TIMEOUT_MS,
        waitMs: WAIT_MS,
      },
      cleanups,
    );

    // Act: one period, with time for its renewal to reach etcd and come back; then etcd freezes
    clock.advance(RENEW_EVERY_MS);
    await realPause(500);
    etcd.signal(0, 'SIGSTOP');
    cleanups.push(() => etcd.signal(0, 'SIGCONT'));
    for (let i = 0; i < 26; i += 1) {
      clock.advance(100);
      await realPause(10);
    }

    // Assert: 3.6 s after the election, past the 3.5 s a renewal every 1.67 s left it
    expect(clock.now() - startMs).toBe(3_600);
    expect(fences).toEqual([]);
    expect(leadership.current()).toEqual(terms[0]);
  }, 30_000);
});
