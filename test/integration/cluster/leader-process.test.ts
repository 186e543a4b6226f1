/**
 * Faults a node cannot play on itself, on a real three-member etcd cluster: a leader process killed with SIGKILL, and
 * one frozen with SIGSTOP for longer than its lease and then woken. The other node is in this test process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterTransactionIds } from '../../../edge/cluster/cluster-transaction-ids';
import { EtcdCluster } from './support/etcd-cluster';
import { LeaderNodeProcess } from './support/leader-node-process';
import { type NodeSettings, RecordedNode, siteSettings } from './support/recorded-node';

const TTL_SECONDS = 2;
const START_MS = 20_000;
/** A takeover waits for the old lease to run out: a few TTLs bound it, with room for a loaded machine. */
const TAKEOVER_MS = TTL_SECONDS * 1000 * 5;

describe('cluster leader processes on etcd', () => {
  let etcd: EtcdCluster;
  const processes: LeaderNodeProcess[] = [];
  const nodes: RecordedNode[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((node) => node.kill()));
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  const settings = (): NodeSettings => siteSettings(etcd.endpoints, TTL_SECONDS);

  /** A leader in a child process, elected before the in-process standby starts campaigning. */
  async function leaderAndStandby(shared: NodeSettings): Promise<{ old: LeaderNodeProcess; standby: RecordedNode }> {
    const old = new LeaderNodeProcess('node-old', shared);
    processes.push(old);
    await old.until('elected', (line) => line.event === 'elected', START_MS);
    const standby = new RecordedNode('node-standby', shared);
    nodes.push(standby);
    standby.leadership.start();
    return { old, standby };
  }

  it('should let another node take over with a higher term when the leader is killed', async () => {
    // Arrange
    const { old, standby } = await leaderAndStandby(settings());
    const oldTerm = old.terms[0]?.term ?? '';

    // Act
    await old.kill();
    await standby.electedTimes(1, TAKEOVER_MS);

    // Assert
    expect(BigInt(standby.terms[0]?.term ?? '0')).toBeGreaterThan(BigInt(oldTerm));
    await expect(standby.ledger.put('after-takeover', 'ok')).resolves.toBeUndefined();
  });

  it('should never hand out a transaction id twice across a takeover', async () => {
    // Arrange
    const shared = settings();
    const { old, standby } = await leaderAndStandby(shared);
    const oldIds: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await old.send({ op: 'nextId' }, START_MS);
      expect(answer.ok).toBe(true);
      oldIds.push(Number(answer.result));
    }

    // Act
    await old.kill();
    await standby.electedTimes(1, TAKEOVER_MS);
    const ids = new ClusterTransactionIds(standby.ledger, standby.leadership);
    const newIds = [await ids.next(), await ids.next()];

    // Assert
    expect(new Set([...oldIds, ...newIds]).size).toBe(oldIds.length + newIds.length);
    expect(Math.min(...newIds)).toBeGreaterThan(Math.max(...oldIds));
  });

  it('should find itself fenced, and have its writes refused, after a SIGSTOP longer than its lease', async () => {
    // Arrange
    const shared = settings();
    const { old, standby } = await leaderAndStandby(shared);
    const oldTerm = old.terms[0];
    if (oldTerm === undefined) throw new Error('the old leader reported no term');

    // Act: frozen until the standby leads, which it can only once the old lease has expired at etcd.
    old.signal('SIGSTOP');
    await standby.electedTimes(1, TAKEOVER_MS);
    old.signal('SIGCONT');
    const write = await old.send({ op: 'put', key: 'site-state', value: 'from the old leader' }, START_MS);
    const rawWrite = await old.send(
      { op: 'putInTerm', term: oldTerm, key: 'site-state', value: 'from the old term' },
      START_MS,
    );

    // Assert
    expect(write.ok).toBe(false);
    // Fenced by its own deadline on waking, before anything reached etcd (not by etcd refusing its write).
    expect(old.fences[0]?.term).toBe(oldTerm.term);
    expect(old.fences[0]?.reason).toMatch(/deadline|in time/);
    expect(rawWrite.result).toBe('refused');
    expect(await standby.ledger.get('site-state')).toBeUndefined();
    expect(BigInt(standby.terms[0]?.term ?? '0')).toBeGreaterThan(BigInt(oldTerm.term));
  });
});
