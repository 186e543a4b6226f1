import { describe, expect, it } from 'vitest';
import { siteClusterView, type ClusterNodeReport } from '../../../../shared/console/site-cluster-answer';
import { CLUSTER_STALE_AFTER_MS, type ClusterHealthReport } from '../../../../shared/console/cluster-node-health';
import type { ClusterFigures, ClusterPeerFigures } from '../../../../shared/sync/cluster-figures';

const peer = (nodeId: string, present: boolean | null, lastSeenAt: number | null): ClusterPeerFigures => ({
  nodeId,
  present,
  reachable: present,
  lastSeenAt,
});
const sample = (
  at: number,
  figures: Partial<ClusterFigures> & Pick<ClusterFigures, 'nodeId'>,
): ClusterHealthReport => ({
  at,
  figures: { mode: 'etcd', role: 'standby', etcdReachable: true, etcdMembers: [], peers: [], ...figures },
});

const master = (nodeId: string, term: string, at: number): ClusterNodeReport => ({ nodeId, term, role: 'master', at });
const fenced = (nodeId: string, term: string, at: number, reason: string): ClusterNodeReport => ({
  nodeId,
  term,
  role: 'fenced',
  at,
  reason,
});

describe('siteClusterView', () => {
  it('should know no cluster without reports', () => {
    expect(siteClusterView('s', [])).toEqual({
      siteId: 's',
      nodes: [],
      term: null,
      master: null,
      etcd: null,
      lastTakeover: null,
    });
  });

  it('should take the highest term as the master, not the latest report, and say a killed master sent no fence', () => {
    // gw-a's clock runs ahead: its older term reported "later"; terms decide (9 < 10 as numbers, not as text)
    const view = siteClusterView('s', [master('gw-a', '9', 5_000), master('gw-b', '10', 2_000)]);
    expect(view.master).toEqual({ mode: 'etcd', nodeId: 'gw-b', term: '10', since: 2_000 });
    expect(view.nodes.map((n) => [n.nodeId, n.role])).toEqual([
      ['gw-a', 'standby'],
      ['gw-b', 'master'],
    ]);
    expect(view.lastTakeover).toEqual({
      at: 2_000,
      nodeId: 'gw-b',
      term: '10',
      previous: { nodeId: 'gw-a', fenced: false, reason: null },
    });
  });

  it('should name no master when the latest term ended in a fence, and keep the last takeover', () => {
    const view = siteClusterView('s', [fenced('gw-b', '12', 3_000, 'lease lost'), master('gw-a', '7', 1_000)]);
    expect(view.term).toBe('12');
    expect(view.master).toBeNull();
    expect(view.lastTakeover).toEqual({ at: 1_000, nodeId: 'gw-a', term: '7', previous: null });
    expect(view.nodes.find((n) => n.nodeId === 'gw-b')).toMatchObject({ role: 'fenced', reason: 'lease lost' });
  });

  it("should list a standby that never led through its own samples and a node that never sent any through its peers' view", () => {
    // Arrange: gw-a leads (its takeover event), gw-b only sends samples, gw-c has no cloud link and is gone from etcd
    const now = 1_000_000;
    const view = siteClusterView(
      's',
      [master('gw-a', '100', now - 50_000)],
      [
        sample(now - 10_000, {
          nodeId: 'gw-a',
          role: 'master',
          leader: { nodeId: 'gw-a', term: '100', since: now - 50_000 },
          etcdMembers: [
            { endpoint: 'a', healthy: true },
            { endpoint: 'b', healthy: true },
            { endpoint: 'c', healthy: false },
          ],
          peers: [peer('gw-b', true, now - 10_000), peer('gw-c', false, now - CLUSTER_STALE_AFTER_MS - 60_000)],
        }),
        sample(now - 5_000, { nodeId: 'gw-b', leader: { nodeId: 'gw-a', term: '100', since: now - 40_000 } }),
      ],
      now,
    );

    // Assert
    expect(view.nodes).toEqual([
      {
        nodeId: 'gw-a',
        role: 'master',
        health: 'healthy',
        term: '100',
        since: now - 50_000,
        lastHeard: now - 10_000,
        stale: false,
        etcdReachable: true,
        reason: null,
      },
      {
        nodeId: 'gw-b',
        role: 'standby',
        health: 'healthy',
        term: null,
        since: null,
        lastHeard: now - 5_000,
        stale: false,
        etcdReachable: true,
        reason: null,
      },
      {
        nodeId: 'gw-c',
        role: 'standby',
        health: 'unhealthy',
        term: null,
        since: null,
        lastHeard: now - CLUSTER_STALE_AFTER_MS - 60_000,
        stale: true,
        etcdReachable: null,
        reason: null,
      },
    ]);
    expect(view.etcd).toEqual({ members: 3, healthy: 2, nodeId: 'gw-a', at: now - 10_000 });
  });

  it("should name the new master from a sample when only the old master's fence arrived", () => {
    // Before, the fence in the highest term left the site without a master until the new master's event came
    const view = siteClusterView(
      's',
      [fenced('gw-a', '100', 20_000, 'lease lost')],
      [sample(30_000, { nodeId: 'gw-a', role: 'fenced', leader: { nodeId: 'gw-b', term: '105', since: 25_000 } })],
      31_000,
    );
    expect(view.master).toEqual({ mode: 'etcd', nodeId: 'gw-b', term: '105', since: 25_000 });
    expect(view.term).toBe('105');
    expect(view.nodes.map((n) => [n.nodeId, n.role, n.term])).toEqual([
      ['gw-a', 'fenced', '100'],
      ['gw-b', 'master', '105'],
    ]);
  });

  it("should take a fenced node's own key in its sample for no term of its, and the latest word on a node's health", () => {
    // gw-a fenced but still reads its own key (etcd drops it when the lease ends); gw-b said gw-a was absent, later
    // gw-a's own sample says it reaches etcd again
    const view = siteClusterView(
      's',
      [fenced('gw-a', '100', 20_000, 'lease lost')],
      [
        sample(21_000, { nodeId: 'gw-b', peers: [peer('gw-a', false, 15_000)] }),
        sample(22_000, { nodeId: 'gw-a', role: 'fenced', leader: { nodeId: 'gw-a', term: '100', since: 1_000 } }),
      ],
      23_000,
    );
    expect(view.master).toBeNull();
    expect(view.nodes.find((n) => n.nodeId === 'gw-a')).toMatchObject({
      role: 'fenced',
      health: 'healthy',
      since: 20_000,
      reason: 'lease lost',
      lastHeard: 22_000,
    });
  });

  it('should call a node that cannot reach etcd unhealthy, and a node nobody heard of stale', () => {
    const view = siteClusterView(
      's',
      [],
      [sample(1_000, { nodeId: 'gw-a', etcdReachable: false, peers: [peer('gw-b', null, null)] })],
      2_000,
    );
    expect(view.nodes.map((n) => [n.nodeId, n.health, n.lastHeard, n.stale])).toEqual([
      ['gw-a', 'unhealthy', 1_000, false],
      ['gw-b', 'unknown', null, true],
    ]);
  });

  it("should take a site's mode from its latest cluster word: a site rebuilt from etcd to two gateways switches over", () => {
    // Arrange: gw-a led on etcd until 1 s; gw-b gained the two-gateway majority at 2 s, gw-a's gain at 0.5 s is older
    const gain = (nodeId: string, at: number) => ({
      nodeId,
      at,
      mayExceedFailSafe: true,
      countedChargers: 3,
      siteChargers: 4,
    });
    const etcd = [master('gw-a', '7', 1_000)];

    // Act
    const rebuilt = siteClusterView('s', etcd, [], 0, [gain('gw-a', 500), gain('gw-b', 2_000)]);
    const stillEtcd = siteClusterView('s', etcd, [], 0, [gain('gw-a', 500)]);

    // Assert
    expect(rebuilt.master).toEqual({
      mode: 'twoGateway',
      holder: { nodeId: 'gw-b', countedChargers: 3, siteChargers: 4, since: 2_000 },
    });
    expect(stillEtcd.master).toEqual({ mode: 'etcd', nodeId: 'gw-a', term: '7', since: 1_000 });
  });
});
