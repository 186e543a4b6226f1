/** Issue 15: the cluster figures a node's telemetry carries are bounded and refused with a precise error when bad. */
import { describe, expect, it } from 'vitest';
import type { EtcdNodeStatus, TwoGatewayNodeStatus } from '../../../../shared/dashboard/cluster-answer';
import {
  type ClusterFigures,
  ClusterFiguresSchema,
  clusterFigures,
  MAX_CLUSTER_PEERS,
  MAX_ETCD_MEMBERS,
} from '../../../../shared/sync/cluster-figures';
import { TelemetryBodySchema } from '../../../../shared/sync/sync-messages';
import { fieldIssues } from '../../../../shared/validation';

const figures: ClusterFigures = {
  nodeId: 'gw-a',
  mode: 'etcd',
  role: 'standby',
  leader: { nodeId: 'gw-b', term: '105', since: 1_000 },
  etcdReachable: true,
  etcdMembers: [{ endpoint: 'http://10.0.0.3:2379', healthy: true }],
  peers: [{ nodeId: 'gw-b', present: true, reachable: true, lastSeenAt: 2_000 }],
};
const sample = {
  evAmps: [0, 0, 0],
  limitAmps: [50, 50, 50],
  fuseAmps: [63, 63, 63],
  budget: { unit: 'A', value: 50 },
  meter: 'ok',
  charging: 0,
  paused: 0,
};

describe('ClusterFiguresSchema', () => {
  it('should take figures within bounds, and a telemetry sample carrying them', () => {
    expect(ClusterFiguresSchema.parse(figures)).toEqual(figures);
    expect(TelemetryBodySchema.parse({ ...sample, cluster: figures }).cluster).toEqual(figures);
  });

  it('should keep the largest figures it takes under 4 KiB, so a sample stays small', () => {
    const id = 'n'.repeat(64);
    const largest: ClusterFigures = {
      ...figures,
      nodeId: id,
      leader: { nodeId: id, term: '9'.repeat(20), since: Number.MAX_SAFE_INTEGER },
      etcdMembers: Array.from({ length: MAX_ETCD_MEMBERS }, () => ({ endpoint: 'e'.repeat(200), healthy: false })),
      peers: Array.from({ length: MAX_CLUSTER_PEERS }, () => ({
        nodeId: id,
        present: false,
        reachable: false,
        lastSeenAt: Number.MAX_SAFE_INTEGER,
      })),
    };
    expect(ClusterFiguresSchema.safeParse(largest).success).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(largest)).byteLength).toBeLessThan(4096);
  });

  it.each([
    ['a peer too many', { peers: Array(MAX_CLUSTER_PEERS + 1).fill(figures.peers[0]) }, 'cluster.peers'],
    [
      'a member too many',
      { etcdMembers: Array(MAX_ETCD_MEMBERS + 1).fill(figures.etcdMembers[0]) },
      'cluster.etcdMembers',
    ],
    [
      'a term that is no etcd revision',
      { leader: { nodeId: 'gw-b', term: '1e5', since: null } },
      'cluster.leader.term',
    ],
    ['an empty node id', { nodeId: '' }, 'cluster.nodeId'],
    ['a role no node has', { role: 'leader' }, 'cluster.role'],
    [
      'a health that is not yes or no',
      { etcdMembers: [{ endpoint: 'x', healthy: 'yes' }] },
      'cluster.etcdMembers[0].healthy',
    ],
    ['a negative time', { peers: [{ ...figures.peers[0], lastSeenAt: -1 }] }, 'cluster.peers[0].lastSeenAt'],
    ['an unknown field', { keepalived: 'MASTER' }, 'cluster'],
  ])('should refuse %s, naming the field', (_name, change, path) => {
    // Act
    const result = TelemetryBodySchema.safeParse({ ...sample, cluster: { ...figures, ...change } });

    // Assert
    expect(result.success).toBe(false);
    expect(result.success ? [] : fieldIssues(result.error).map((i) => i.path)).toEqual([path]);
  });

  it('should say how many peers a node may report when it reports more', () => {
    const result = ClusterFiguresSchema.safeParse({ ...figures, peers: Array(9).fill(figures.peers[0]) });
    expect(result.success ? [] : fieldIssues(result.error)).toEqual([
      expect.objectContaining({ path: 'peers', reason: 'field.maxItems', params: { maximum: MAX_CLUSTER_PEERS } }),
    ]);
  });
});

describe('clusterFigures', () => {
  const etcd: EtcdNodeStatus = {
    mode: 'etcd',
    nodeId: 'gw-a',
    role: 'fenced',
    electionType: 'dynamic',
    staticOrder: ['gw-a', 'gw-b'],
    electionVersion: '3',
    electionSource: 'etcd',
    leader: null,
    lastFence: { term: '100', reason: 'etcd reports the lease lost', at: 1_000 },
    peers: Array.from({ length: 12 }, (_, i) => ({
      id: `gw-${i}`,
      role: 'unknown' as const,
      term: null,
      since: null,
      addresses: [],
      healthy: null,
      lastSeenAt: null,
    })),
    witness: { configured: true, etcdReachable: false },
    witnesses: [],
  };

  it('should cut what a node sees to the bounds, so a figure too many never costs the sample', () => {
    // Act
    const made = clusterFigures(etcd, undefined);

    // Assert
    expect(made?.peers).toHaveLength(MAX_CLUSTER_PEERS);
    expect(made).toMatchObject({ nodeId: 'gw-a', role: 'fenced', etcdReachable: false });
    expect(made).not.toHaveProperty('leader');
    expect(ClusterFiguresSchema.safeParse(made).success).toBe(true);
  });

  it('should say a gateway without a witness is master while it may give more than the fail-safe', () => {
    const two: TwoGatewayNodeStatus = {
      mode: 'twoGateway',
      nodeId: 'gw-a',
      staticOrder: ['gw-a', 'gw-b'],
      countedChargers: 3,
      siteChargers: 4,
      holdsMajority: true,
      mayExceedFailSafe: true,
      majoritySince: 1_000,
      checkedAt: 2_000,
      peer: { id: 'gw-b', role: 'standby', reachable: true, lastSeenAt: 2_000 },
    };
    expect(clusterFigures(two, undefined)).toEqual({
      nodeId: 'gw-a',
      mode: 'twoGateway',
      role: 'master',
      etcdMembers: [],
      peers: [],
    });
    expect(clusterFigures({ ...two, mayExceedFailSafe: false }, undefined)?.role).toBe('standby');
    expect(clusterFigures({ mode: 'single' }, undefined)).toBeUndefined();
  });
});
