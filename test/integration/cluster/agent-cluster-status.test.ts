/**
 * The dashboard's `GET /api/cluster` of two real edge agents as the nodes of one site's cluster, on a real
 * three-member etcd on loopback (members named gw-a, gw-b and witness): each answers its own role, the election, the
 * leader's term, the peers it finds in etcd with their roles (the master's term and since when), and the witness with
 * its member's health; after the master loses its lease the roles change and the old master reports its fence.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterAnswer, EtcdNodeStatus } from '../../../shared/dashboard/cluster-answer';
import { eventually } from '../../support/eventually';
import { dashboardSession, type DashboardSession } from '../edge/support/dashboard-session';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';
import { revokeLeaderLease } from './support/leader-key';

/** The agents' lease is 2 s: a takeover waits for the lease to run out, with room for a loaded machine. */
const TAKEOVER_MS = 15_000;
const ADMIN_PASSWORD = 'cluster-status-password';

describe("the dashboard's cluster answer on cluster nodes", () => {
  let etcd: EtcdCluster;
  const agents: ClusterAgent[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3, ['gw-a', 'gw-b', 'witness']);
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function node(nodeId: string, siteId: string, election: 'static' | 'dynamic') {
    const agent = await ClusterAgent.start({
      nodeId,
      siteId,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      election,
      chargers: 1,
    });
    agents.push(agent);
    return { agent, dashboard: dashboardSession(agent.agent, ADMIN_PASSWORD) };
  }

  async function clusterNode(dashboard: DashboardSession): Promise<EtcdNodeStatus> {
    const answer = await dashboard.api('GET', 'cluster');
    expect(answer.status).toBe(200);
    const { node } = answer.body as ClusterAnswer;
    if (node.mode !== 'etcd') throw new Error(`expected a node on etcd, got ${node.mode}`);
    return node;
  }

  /** Reads the answer every 100 ms until `holds`; the nodes learn from etcd, so a change shows after their next read. */
  async function answerOnceItHolds(
    dashboard: DashboardSession,
    what: string,
    holds: (node: EtcdNodeStatus) => boolean,
    withinMs = TAKEOVER_MS,
  ): Promise<EtcdNodeStatus> {
    const giveUpAt = Date.now() + withinMs;
    for (;;) {
      const node = await clusterNode(dashboard);
      if (holds(node)) return node;
      if (Date.now() > giveUpAt) throw new Error(`not within ${withinMs} ms: ${what}; ${JSON.stringify(node)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** gw-a serving as master, gw-b its standby, both present in etcd. */
  async function masterAndStandby(election: 'static' | 'dynamic') {
    const siteId = `site-${randomUUID().slice(0, 8)}`;
    const a = await node('gw-a', siteId, election);
    await eventually('gw-a serves as master', () => a.agent.serving, TAKEOVER_MS);
    const b = await node('gw-b', siteId, election);
    await answerOnceItHolds(a.dashboard, 'gw-a finds gw-b present in etcd', (n) => n.peers[0]?.healthy === true);
    return { siteId, a, b };
  }

  it('should answer master on the leading agent and standby on the other, with the leader, the order, the peers and the witness', async () => {
    // Arrange
    const { a, b } = await masterAndStandby('static');

    // Act
    const onA = await clusterNode(a.dashboard);
    const onB = await clusterNode(b.dashboard);

    // Assert
    expect(onA).toMatchObject({
      nodeId: 'gw-a',
      role: 'master',
      electionType: 'static',
      staticOrder: ['gw-a', 'gw-b'],
      leader: { nodeId: 'gw-a', term: expect.stringMatching(/^\d+$/) as unknown, since: expect.any(Number) as unknown },
      lastFence: null,
      peers: [
        {
          id: 'gw-b',
          role: 'standby',
          term: null,
          since: null,
          healthy: true,
          lastSeenAt: expect.any(Number) as unknown,
        },
      ],
      witness: { configured: true, etcdReachable: true },
    });
    const witness = { name: 'witness', endpoint: etcd.endpoints[2], healthy: true };
    expect(onA.witnesses).toEqual([{ ...witness, lastSeenAt: expect.any(Number) as unknown }]);
    expect(onB).toMatchObject({
      nodeId: 'gw-b',
      role: 'standby',
      electionType: 'static',
      leader: { nodeId: 'gw-a', term: onA.leader?.term, since: expect.any(Number) as unknown },
      lastFence: null,
      peers: [
        {
          id: 'gw-a',
          role: 'master',
          term: onA.leader?.term,
          since: expect.any(Number) as unknown,
          healthy: true,
          lastSeenAt: expect.any(Number) as unknown,
        },
      ],
      witness: { configured: true, etcdReachable: true },
    });
    expect(onB.witnesses).toEqual([{ ...witness, lastSeenAt: expect.any(Number) as unknown }]);
    // Each node announced its own addresses (the host's, loopback left out), as the other reads them from etcd. Both run
    // on this host, so they share its addresses; not all of them: tests beside this one add and remove veth pairs, so
    // the two announcements, made at different instants, may list different ones.
    const fromA = onA.peers[0]?.addresses ?? [];
    const fromB = onB.peers[0]?.addresses ?? [];
    expect(fromA.filter((address) => fromB.includes(address))).not.toEqual([]);
    expect([...fromA, ...fromB]).not.toContain('127.0.0.1');
  });

  it("should answer the roles swapped once the master's lease is lost, with the old master's fence and a higher term", async () => {
    // Arrange
    const { siteId, a, b } = await masterAndStandby('dynamic');
    const before = await clusterNode(a.dashboard);

    // Act: gw-a's lease goes at etcd, as when etcd expires it
    await revokeLeaderLease(etcd.endpoints, siteId);
    await eventually('gw-b serves as master', () => b.agent.serving, TAKEOVER_MS);

    // Assert
    const onB = await clusterNode(b.dashboard);
    // gw-a serves until etcd3 reports its lease lost (at its next renewal), while etcd may already show gw-b leading.
    const onA = await answerOnceItHolds(a.dashboard, 'gw-a fenced, behind gw-b', (n) => n.role !== 'master');
    expect(onB).toMatchObject({ role: 'master', electionType: 'dynamic', leader: { nodeId: 'gw-b' } });
    expect(BigInt(onB.leader?.term ?? 0)).toBeGreaterThan(BigInt(before.leader?.term ?? 0));
    expect(onA).toMatchObject({
      role: 'standby',
      leader: { nodeId: 'gw-b', term: onB.leader?.term },
      lastFence: {
        term: before.leader?.term,
        reason: expect.any(String) as unknown,
        at: expect.any(Number) as unknown,
      },
      peers: [{ id: 'gw-b', role: 'master', term: onB.leader?.term, healthy: true }],
    });
  });

  it('should answer etcd unreachable, the peers unknown, the silent witness and this node fenced, when etcd has lost its quorum', async () => {
    // Arrange
    const { a } = await masterAndStandby('static');

    const witnessSeenAt = (await clusterNode(a.dashboard)).witnesses[0]?.lastSeenAt;

    // Act: two of the three members gone (gw-b's and the witness), no quorum
    await etcd.kill(1);
    await etcd.kill(2);

    // Assert
    await eventually('gw-a fenced', () => !a.agent.serving, TAKEOVER_MS);
    const onA = await answerOnceItHolds(
      a.dashboard,
      'gw-a finds etcd unreachable and the witness silent',
      (n) => !n.witness.etcdReachable && n.witnesses[0]?.healthy === false,
      // The members' health is read again once the shared read is 15 s old (etcd-node-status.ts).
      TAKEOVER_MS + 15_000,
    );
    expect(onA).toMatchObject({
      role: 'fenced',
      leader: null,
      lastFence: { reason: expect.any(String) as unknown },
      peers: [{ id: 'gw-b', role: 'unknown', term: null, healthy: null, lastSeenAt: expect.any(Number) as unknown }],
      witness: { configured: true, etcdReachable: false },
    });
    // Still known by its name, and when it last answered.
    expect(onA.witnesses).toEqual([
      { name: 'witness', endpoint: etcd.endpoints[2], healthy: false, lastSeenAt: expect.any(Number) as unknown },
    ]);
    expect(onA.witnesses[0]?.lastSeenAt).toBeGreaterThanOrEqual(witnessSeenAt ?? Infinity);
  }, 60_000);
});
