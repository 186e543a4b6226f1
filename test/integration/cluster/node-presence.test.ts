/**
 * A node's presence key (edge/cluster/node-presence.ts) on a real three-member etcd stays while one member is silent.
 * The fresh-clone CI run of d2cd573 once found no node present in etcd-client.test.ts: the presence lease was kept
 * alive by etcd3's own keepalive stream, which sits on one member; frozen there, it was given up only once etcd3's
 * stream timeout (the TTL) or the client's connection ping (up to 3 s) found it dead, by when the lease had run out and
 * etcd had deleted the key. Here many nodes announce themselves, each with the agent's own client, so that some of
 * their streams sit on the member then frozen (SIGSTOP, an etcd follower: freezing etcd's leader would make etcd extend
 * every lease), and a watch on another member records every presence key etcd deletes. And a key whose lease is lost
 * all the same is put again at once, not a renewal period later (on a manual clock, so only that can bring it back).
 */
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEtcdClient } from '../../../edge/cluster/etcd-client';
import { NodePresence } from '../../../edge/cluster/node-presence';
import { systemClock } from '../../../edge/platform/clock';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { ConditionWaiters } from '../../support/condition-waiters';
import { EtcdCluster } from './support/etcd-cluster';

const TTL_SECONDS = 2;
const RENEW_EVERY_MS = (TTL_SECONDS * 1000) / 3;
const CALL_TIMEOUT_MS = 2_000;
/**
 * A third of the streams sit on the frozen member, and each of those lost its lease in about 7 runs of 10 (the ping
 * found some in time): with 32 nodes, no lapse before the fix is a chance of about one in 5,000.
 */
const NODES = 32;
/** Longer than the TTL, and than the client's connection ping needs to find a frozen member (3 s). */
const FROZEN_MS = 3 * TTL_SECONDS * 1000;
const PREFIX = 'node-presence-test/presence/';
const WAIT_MS = 10_000;

describe("a node's presence key", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should stay in etcd while the member its renewals went to is frozen for longer than the TTL', async () => {
    // Arrange: three members, every node present, a watch on a member that stays awake
    const etcd = await EtcdCluster.start(3);
    cleanups.push(() => etcd.stop());
    const follower = await aFollower(etcd.endpoints);
    const awake = etcd.endpoints.filter((_, i) => i !== follower);
    const observer = new Etcd3({ hosts: awake });
    cleanups.push(() => observer.close());
    const deleted: string[] = [];
    const watcher = await observer.watch().prefix(PREFIX).create();
    watcher.on('delete', (kv) => deleted.push(kv.key.toString().slice(PREFIX.length)));
    cleanups.push(() => watcher.cancel());
    const nodeIds = Array.from({ length: NODES }, (_, i) => `node-${i + 1}`);
    const presences = nodeIds.map((nodeId) => {
      const client = createEtcdClient(etcd.endpoints, CALL_TIMEOUT_MS);
      cleanups.push(() => client.close());
      const presence = new NodePresence(
        client,
        PREFIX,
        nodeId,
        { ttlSeconds: TTL_SECONDS, renewEveryMs: RENEW_EVERY_MS },
        systemClock,
      );
      cleanups.push(() => presence.stop());
      return presence;
    });
    await Promise.all(presences.map((presence) => presence.start()));
    // A few renewals, so that every node's renewals are under way on whichever member they drew
    await pause(TTL_SECONDS * 1000);

    // Act
    etcd.signal(follower, 'SIGSTOP');
    cleanups.push(() => etcd.signal(follower, 'SIGCONT'));
    await pause(FROZEN_MS);
    const present = [...(await presences[0]!.healthy())].sort();
    etcd.signal(follower, 'SIGCONT');

    // Assert
    expect(deleted).toEqual([]);
    expect(present).toEqual([...nodeIds].sort());
  }, 60_000);

  it('should put the key again at once when etcd lost its lease', async () => {
    // Arrange: one member, a node present on a manual clock
    const etcd = await EtcdCluster.start(1);
    cleanups.push(() => etcd.stop());
    const client = createEtcdClient(etcd.endpoints, CALL_TIMEOUT_MS);
    cleanups.push(() => client.close());
    const clock = new ManualClock();
    const presence = new NodePresence(
      client,
      PREFIX,
      'node-1',
      { ttlSeconds: TTL_SECONDS, renewEveryMs: RENEW_EVERY_MS },
      clock,
    );
    cleanups.push(() => presence.stop());
    await presence.start();
    const key = `${PREFIX}node-1`;
    const leaseId = (await client.getAll().prefix(key).exec()).kvs[0]?.lease;
    if (leaseId === undefined) throw new Error('no presence key');
    const waiters = new ConditionWaiters();
    const puts: string[] = [];
    const watcher = await client.watch().key(key).create();
    watcher.on('put', (kv) => {
      puts.push(kv.lease);
      waiters.changed();
    });
    cleanups.push(() => watcher.cancel());

    // Act: the lease revoked behind the node's back (etcd deletes the key), then one renewal period
    await client.leaseClient.leaseRevoke({ ID: leaseId });
    clock.advance(RENEW_EVERY_MS);

    // Assert: the key is back, on a new lease, with the clock standing still since the renewal found the lease gone
    await waiters.until(
      'the key put again',
      () => puts.length > 0,
      WAIT_MS,
      () => puts.join(),
    );
    expect(puts[0]).not.toBe(leaseId);
    expect([...(await presence.healthy())]).toEqual(['node-1']);
  }, 30_000);
});

/** The index of a member that is not etcd's leader. */
async function aFollower(endpoints: readonly string[]): Promise<number> {
  for (const [index, endpoint] of endpoints.entries()) {
    const client = new Etcd3({ hosts: endpoint });
    try {
      const status = await client.maintenance.status();
      if (status.leader !== status.header.member_id) return index;
    } finally {
      client.close();
    }
  }
  throw new Error('no etcd follower');
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
