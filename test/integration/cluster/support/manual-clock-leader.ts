/**
 * A leader on a manual clock and a real one-member etcd, elected: what the leadership timing tests share (the agent's
 * etcd client, the node's terms and fences recorded). What it starts is stopped by the test's cleanups, last first.
 */
import { createEtcdClient } from '../../../../edge/cluster/etcd-client';
import { type LeaderTerm, Leadership } from '../../../../edge/cluster/leadership';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { ConditionWaiters } from '../../../support/condition-waiters';
import { EtcdCluster } from './etcd-cluster';

export interface ManualClockLeaderSettings {
  /** The election's name, made unique per run. */
  readonly electionPrefix: string;
  readonly ttlSeconds: number;
  readonly fenceMarginMs: number;
  /** The renewal period; absent, Leadership's default (a third of the TTL). */
  readonly renewEveryMs?: number;
  /** The etcd client's call timeout. */
  readonly callTimeoutMs: number;
  /** How long the election may take. */
  readonly waitMs: number;
}

export interface ManualClockLeader {
  readonly etcd: EtcdCluster;
  readonly clock: ManualClock;
  /** The clock's time at the start, before the election. */
  readonly startMs: number;
  readonly leadership: Leadership;
  readonly terms: readonly LeaderTerm[];
  /** Each fence, with its time after `startMs`. */
  readonly fences: readonly { readonly reason: string; readonly atMs: number }[];
}

export const realPause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function manualClockLeader(
  settings: ManualClockLeaderSettings,
  cleanups: (() => Promise<void> | void)[],
): Promise<ManualClockLeader> {
  const etcd = await EtcdCluster.start(1);
  cleanups.push(() => etcd.stop());
  const client = createEtcdClient(etcd.endpoints, settings.callTimeoutMs);
  cleanups.push(() => client.close());
  const clock = new ManualClock();
  const startMs = clock.now();
  const waiters = new ConditionWaiters();
  const terms: LeaderTerm[] = [];
  const fences: { reason: string; atMs: number }[] = [];
  const leadership = new Leadership({
    client,
    electionName: `${settings.electionPrefix}-${Date.now()}`,
    nodeId: 'node-1',
    ttlSeconds: settings.ttlSeconds,
    fenceMarginMs: settings.fenceMarginMs,
    ...(settings.renewEveryMs !== undefined && { renewEveryMs: settings.renewEveryMs }),
    clock,
    listener: {
      elected: (term) => {
        terms.push(term);
        waiters.changed();
      },
      fenced: ({ reason }) => fences.push({ reason, atMs: clock.now() - startMs }),
    },
  });
  cleanups.push(() => leadership.stop());
  leadership.start();
  clock.advance(0);
  await waiters.until(
    'elected',
    () => terms.length === 1,
    settings.waitMs,
    () => JSON.stringify(fences),
  );
  // Time for the first keepalive to be set up before the test moves the clock.
  await realPause(200);
  return { etcd, clock, startMs, leadership, terms, fences };
}
