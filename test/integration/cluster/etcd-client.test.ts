/**
 * The cluster's etcd client (edge/cluster/etcd-client.ts) on a real one-member etcd: a stream the client ends itself
 * is not held against the member. etcd3 1.1.2 counted a watch it cancelled as the member's failure: it closed every
 * connection to the member (the lease keepalive stream on it dropped) and tripped the member's breaker, so the next
 * calls failed without reaching etcd. After a partition healed, a node's campaign, restarted every second, so kept its
 * own healthy members set aside and never led again (agent-network-faults.test.ts found it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from '../../../edge/cluster/etcd-client';
import { ConditionWaiters } from '../../support/condition-waiters';
import { EtcdCluster } from './support/etcd-cluster';

const CALL_TIMEOUT_MS = 2_000;
const WAIT_MS = 10_000;

describe('the cluster etcd client', () => {
  let etcd: EtcdCluster;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('should keep using a member after cancelling a watch on it, its lease kept alive throughout', async () => {
    // Arrange: a lease kept alive by etcd3 and a watch, both on the only member
    const client = createEtcdClient(etcd.endpoints, CALL_TIMEOUT_MS);
    const waiters = new ConditionWaiters();
    const lease = client.lease(2);
    const keepalives: string[] = [];
    lease.on('keepaliveSucceeded', () => {
      keepalives.push('ok');
      waiters.changed();
    });
    lease.on('keepaliveFailed', (error) => {
      keepalives.push(`failed: ${JSON.stringify(error)}`);
      waiters.changed();
    });
    try {
      await lease.put('etcd-client-test/held').value('1');
      const watcher = await client.watch().key('etcd-client-test/watched').create();

      // Act: the client's last watch ends, so etcd3 cancels the watch stream
      await watcher.cancel();
      const value = await client.get('etcd-client-test/held').string();
      const afterCancel = keepalives.length;
      await waiters.until(
        'a keepalive answered after the cancel',
        () => keepalives.length > afterCancel + 1,
        WAIT_MS,
        () => keepalives.join(' | '),
      );

      // Assert
      expect(value).toBe('1');
      expect(keepalives.filter((k) => k !== 'ok')).toEqual([]);
    } finally {
      await lease.revoke().catch(() => undefined);
      client.close();
    }
  });
});
