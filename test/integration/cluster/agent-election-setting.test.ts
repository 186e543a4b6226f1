/**
 * The site's election changed on the dashboard of two real edge agents, the nodes of one site's cluster on a real
 * three-member etcd on loopback: both nodes read the same setting from etcd and switch their candidacy live (a
 * candidate the new setting excludes withdraws its key from the election, one it lets campaign puts its key back),
 * the master keeps leading in the same term throughout and the standby never serves; a stale version and a bad order
 * are refused; and a change while etcd has no quorum is refused with its reason, nothing written.
 */
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterAnswer, EtcdNodeStatus } from '../../../shared/dashboard/cluster-answer';
import { eventually } from '../../support/eventually';
import { dashboardSession, type DashboardSession } from '../edge/support/dashboard-session';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';
import { revokeLeaderLease } from './support/leader-key';

/** The agents' lease is 2 s: a candidacy is checked every third of it, a takeover waits for the lease to run out. */
const SWITCH_MS = 15_000;
const ADMIN_PASSWORD = 'election-setting-password';

describe("the site's election changed on the dashboard of cluster nodes", () => {
  let etcd: EtcdCluster;
  let observer: Etcd3;
  const agents: ClusterAgent[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
    observer = new Etcd3({ hosts: etcd.endpoints });
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    observer?.close();
    await etcd?.stop();
  });

  async function node(nodeId: string, siteId: string) {
    const agent = await ClusterAgent.start({
      nodeId,
      siteId,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      election: 'dynamic',
      chargers: 1,
    });
    agents.push(agent);
    return { agent, dashboard: dashboardSession(agent.agent, ADMIN_PASSWORD) };
  }

  async function clusterNode(dashboard: DashboardSession): Promise<EtcdNodeStatus> {
    const answer = await dashboard.api('GET', 'cluster');
    const { node } = answer.body as ClusterAnswer;
    if (node.mode !== 'etcd') throw new Error(`expected a node on etcd, got ${JSON.stringify(answer.body)}`);
    return node;
  }

  /** Changes the election on `dashboard`, at the version that node reads now. */
  async function change(dashboard: DashboardSession, electionType: 'static' | 'dynamic', staticOrder: string[]) {
    const { electionVersion } = await clusterNode(dashboard);
    return dashboard.api('PUT', 'cluster/election', { electionType, staticOrder, version: electionVersion });
  }

  /** The node ids that campaign in the site's election now (the values of its candidate keys), oldest first. */
  async function candidates(siteId: string): Promise<string[]> {
    const values = await observer
      .getAll()
      .prefix(`election/ampshare/${siteId}/leader/`)
      .sort('Create', 'Ascend')
      .strings();
    return Object.values(values);
  }

  async function candidatesOnce(siteId: string, expected: string[]): Promise<void> {
    const giveUpAt = Date.now() + SWITCH_MS;
    for (;;) {
      const found = await candidates(siteId);
      if (JSON.stringify(found) === JSON.stringify(expected)) return;
      if (Date.now() > giveUpAt)
        throw new Error(`not within ${SWITCH_MS} ms: candidates ${expected.join()}, found ${found.join()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** gw-a serving as master, gw-b campaigning behind it (dynamic election, from the configuration). */
  async function masterAndCandidate() {
    const siteId = `site-${randomUUID().slice(0, 8)}`;
    const a = await node('gw-a', siteId);
    await eventually('gw-a serves as master', () => a.agent.serving, SWITCH_MS);
    const b = await node('gw-b', siteId);
    await candidatesOnce(siteId, ['gw-a', 'gw-b']);
    return { siteId, a, b };
  }

  it('should switch both nodes live, the master keeping its term, and the standby never serving', async () => {
    // Arrange
    const { siteId, a, b } = await masterAndCandidate();
    const term = (await clusterNode(a.dashboard)).leader?.term;
    const served = { aStopped: false, bServed: false };
    const sampler = setInterval(() => {
      served.aStopped ||= !a.agent.serving;
      served.bServed ||= b.agent.serving;
    }, 20);

    // Act 1: static, gw-a first, changed on gw-b's dashboard
    const toStatic = await change(b.dashboard, 'static', ['gw-a', 'gw-b']);

    // Assert 1: both nodes read it; gw-b, behind a healthy gw-a, withdraws its candidacy
    expect(toStatic.status).toBe(200);
    const onA = await clusterNode(a.dashboard);
    const onB = await clusterNode(b.dashboard);
    expect(onA).toMatchObject({ electionType: 'static', staticOrder: ['gw-a', 'gw-b'], electionSource: 'etcd' });
    expect(onB).toMatchObject({ electionType: 'static', electionVersion: onA.electionVersion });
    expect(onA.electionVersion).not.toBe('0');
    await candidatesOnce(siteId, ['gw-a']);

    // Act 2: dynamic again, changed on gw-a's dashboard
    expect((await change(a.dashboard, 'dynamic', ['gw-a', 'gw-b'])).status).toBe(200);

    // Assert 2: gw-b campaigns again; gw-a led in its term all along and gw-b never served
    await candidatesOnce(siteId, ['gw-a', 'gw-b']);
    clearInterval(sampler);
    expect(served).toEqual({ aStopped: false, bServed: false });
    expect((await clusterNode(b.dashboard)).leader).toMatchObject({ nodeId: 'gw-a', term });

    // Act 3: gw-b takes over; then static with gw-b first
    await revokeLeaderLease(etcd.endpoints, siteId);
    await eventually('gw-b serves as master', () => b.agent.serving, SWITCH_MS);
    await candidatesOnce(siteId, ['gw-b', 'gw-a']);
    expect((await change(a.dashboard, 'static', ['gw-b', 'gw-a'])).status).toBe(200);

    // Assert 3: gw-a, now behind a healthy gw-b, withdraws; gw-b keeps serving
    await candidatesOnce(siteId, ['gw-b']);
    expect(b.agent.serving).toBe(true);
    expect(await clusterNode(a.dashboard)).toMatchObject({ electionType: 'static', staticOrder: ['gw-b', 'gw-a'] });
  });

  it('should refuse a change at a stale version and an order that does not list each node once', async () => {
    // Arrange
    const { a, b } = await masterAndCandidate();
    expect((await change(b.dashboard, 'static', ['gw-b', 'gw-a'])).status).toBe(200);

    // Act
    const stale = await a.dashboard.api('PUT', 'cluster/election', {
      electionType: 'dynamic',
      staticOrder: ['gw-a', 'gw-b'],
      version: '0',
    });
    const badOrder = await change(a.dashboard, 'static', ['gw-a', 'gw-c']);

    // Assert
    expect(stale).toMatchObject({ status: 409, body: { error: 'resource.conflict', reason: 'cluster.electionStale' } });
    expect(badOrder).toMatchObject({
      status: 400,
      body: { error: 'message.invalid', details: [{ path: 'staticOrder', reason: 'cluster.orderNodes' }] },
    });
    expect(await clusterNode(a.dashboard)).toMatchObject({ electionType: 'static', staticOrder: ['gw-b', 'gw-a'] });
  });

  it('should refuse a change while etcd has no quorum, and show the setting last read', async () => {
    // Arrange
    const { a } = await masterAndCandidate();
    const before = await clusterNode(a.dashboard);

    // Act: two of the three members gone
    await etcd.kill(1);
    await etcd.kill(2);
    const refused = await a.dashboard.api('PUT', 'cluster/election', {
      electionType: 'static',
      staticOrder: ['gw-b', 'gw-a'],
      version: before.electionVersion,
    });

    // Assert
    expect(refused).toMatchObject({ status: 503, body: { error: 'cluster.noQuorum', reason: 'cluster.noQuorum' } });
    expect(await clusterNode(a.dashboard)).toMatchObject({
      electionType: 'dynamic',
      electionVersion: before.electionVersion,
      witness: { etcdReachable: false },
    });
  });
});
