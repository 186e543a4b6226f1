/**
 * The cluster's etcd client (edge/cluster/etcd-client.ts) on a real one-member etcd: a stream the client ends itself
 * is not held against the member. etcd3 1.1.2 counted a watch it cancelled as the member's failure: it closed every
 * connection to the member (the lease keepalive stream on it dropped) and tripped the member's breaker, so the next
 * calls failed without reaching etcd. After a partition healed, a node's campaign, restarted every second, so kept its
 * own healthy members set aside and never led again (agent-network-faults.test.ts found it).
 * And a call that spent its time on a silent member is tried on the next one with time of its own: etcd3 tries a failed
 * call again on another member with the same call options, so a deadline fixed when the call was made had passed when
 * it reached the healthy member, which failed it at once (DEADLINE_EXCEEDED) and was set aside for it; one silent
 * member set every member aside (the link-down test's logs: "Deadline exceeded after 0.007s" from the witness, then
 * "the circuit breaker is open" on all three).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from '../../../edge/cluster/etcd-client';
import { NodePresence } from '../../../edge/cluster/node-presence';
import { systemClock } from '../../../edge/platform/clock';
import { ConditionWaiters } from '../../support/condition-waiters';
import { EtcdCluster } from './support/etcd-cluster';

const CALL_TIMEOUT_MS = 2_000;
const WAIT_MS = 10_000;
/** Short, so that the calls that draw the silent member first do not take long. */
const SILENT_CALL_TIMEOUT_MS = 500;
/** Half draw the silent member first: all eight drawing the healthy one first is a chance of one in 256. */
const CALLS_WITH_A_SILENT_MEMBER = 8;

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

  it('should answer every call while one member is silent, trying the healthy one with time of its own', async () => {
    // Arrange: a "member" that takes connections and never says a word (a gateway whose link went down mid-stream)
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const client = createEtcdClient([...etcd.endpoints, `http://127.0.0.1:${port}`], SILENT_CALL_TIMEOUT_MS);
    const presence = new NodePresence(
      client,
      'etcd-client-test/presence/',
      'node-1',
      { ttlSeconds: 5, renewEveryMs: 1_000 },
      systemClock,
    );
    const outcomes: string[] = [];
    try {
      await presence.start();

      // Act: each call draws a member at random; one that draws the silent member first waits its timeout there. The
      // calls are a breaker's pause apart, so the silent member, set aside after its first timeout, is drawn again.
      for (let i = 0; i < CALLS_WITH_A_SILENT_MEMBER; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 2 * SILENT_CALL_TIMEOUT_MS + 100));
        outcomes.push(
          await presence.healthy().then(
            (healthy) => [...healthy].join(),
            (error: unknown) => String(error),
          ),
        );
      }

      // Assert
      expect(outcomes).toEqual(Array.from({ length: CALLS_WITH_A_SILENT_MEMBER }, () => 'node-1'));
    } finally {
      await presence.stop();
      client.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
