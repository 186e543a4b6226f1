/**
 * A leader whose etcd answers a keepalive late, but well before its fence deadline, stays leader. etcd answers late
 * while it elects a leader of its own (the witness, etcd's leader, killed) and on a starved machine; the lease was
 * renewed all the same, from when the keepalive left. Before, the node gave each keepalive a sixth of the TTL: etcd3
 * counted the one it abandoned as its member's failure, set the member aside and closed its connections, the next
 * renewals found no member to ask, and the master fenced itself ("no keepalive was confirmed in time": the witness-lost
 * test of agent-network-faults.test.ts, 2026-12-04). Here the node runs on a manual clock, so the late answer is the
 * only thing that can keep it leading: its one etcd member is frozen (SIGSTOP) while a renewal is out, for longer than
 * that sixth but less than a second (so the client's connection ping does not give up on the member), then woken.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClockLeader, realPause } from './support/manual-clock-leader';

const TTL_SECONDS = 3;
const FENCE_MARGIN_MS = 1_000;
const RENEW_EVERY_MS = (TTL_SECONDS * 1000) / 3;
/** Long enough that a member set aside stays aside for the whole test. */
const CALL_TIMEOUT_MS = 10_000;
/** Longer than a sixth of the TTL (0.5 s), shorter than the client's ping answer (1 s, etcd-client.ts). */
const FROZEN_MS = 800;
const WAIT_MS = 10_000;

describe('a leader on an etcd that answers late', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should stay leader when a keepalive is answered late but before its fence deadline', async () => {
    // Arrange: one member, the agent's etcd client, a node elected on a manual clock
    const { etcd, clock, leadership, terms, fences } = await manualClockLeader(
      {
        electionPrefix: 'slow-etcd',
        ttlSeconds: TTL_SECONDS,
        fenceMarginMs: FENCE_MARGIN_MS,
        callTimeoutMs: CALL_TIMEOUT_MS,
        waitMs: WAIT_MS,
      },
      cleanups,
    );

    // Act: a renewal leaves while the member is frozen; it wakes before the renewal could no longer count
    etcd.signal(0, 'SIGSTOP');
    cleanups.push(() => etcd.signal(0, 'SIGCONT'));
    clock.advance(RENEW_EVERY_MS);
    await realPause(FROZEN_MS);
    etcd.signal(0, 'SIGCONT');
    await realPause(300);
    // The time the node's deadline allows (TTL less the margin after the last confirmed keepalive), in steps that let
    // each renewal (every sixth of that, at most) reach etcd and come back
    for (let i = 0; i < 8; i += 1) {
      clock.advance(RENEW_EVERY_MS / 4);
      await realPause(150);
    }

    // Assert
    expect(fences).toEqual([]);
    expect(leadership.current()).toEqual(terms[0]);
  }, 30_000);
});
