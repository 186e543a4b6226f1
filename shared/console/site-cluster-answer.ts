/**
 * A site's cluster as the fleet sees it (`GET /sites/:siteId/cluster`, docs/cluster.md "In the fleet console"): each
 * node with its role, health, term, since when and when it was last heard of, the current master and term, etcd's
 * members and the last takeover. Derived from the takeover events the nodes send and from the cluster figures each
 * node's telemetry carries (its own state and what it sees of its peers), so a node that never sent either is known
 * through its peers. A site of two gateways without a witness has no term: its `master` names the gateway that holds
 * the chargers' majority, by each gateway's latest `cluster.majority` event.
 */
import { z } from 'zod';
import { compareTerms, type ClusterFailoverDetails } from '../sync/cluster-failover';
import type { ClusterMajorityDetails } from '../sync/cluster-majority';
import { CLUSTER_STALE_AFTER_MS, clusterNodeHealth, type ClusterHealthReport } from './cluster-node-health';

const NodeSchema = z.object({
  nodeId: z.string(),
  /** `standby`: it serves in no current term (it led in one a later one replaced, or never led). */
  role: z.enum(['master', 'standby', 'fenced']),
  /** By the latest word of it: its own figures (etcd reachable or not), else a peer's (present, reachable). */
  health: z.enum(['healthy', 'unhealthy', 'unknown']),
  /** The term it serves in (the master), else the term of its latest takeover event; null when it sent none. */
  term: z.string().nullable(),
  /** Since when it has its role: the master since it serves, a fenced node since its fence; null otherwise. */
  since: z.number().nullable(),
  /** Its latest event or sample, or when a peer last saw it in etcd (epoch ms); null when never. */
  lastHeard: z.number().nullable(),
  /** Not heard of for longer than CLUSTER_STALE_AFTER_MS (or never): what the page shows of it may be out of date. */
  stale: z.boolean(),
  /** etcd answered its reads, by its latest figures; null without figures (or without etcd). */
  etcdReachable: z.boolean().nullable(),
  /** A fence's reason, as the agent said it (English); null otherwise. */
  reason: z.string().nullable(),
});

export const SiteClusterAnswerSchema = z.object({
  siteId: z.string(),
  /** By node id; empty for a site that never reported a takeover nor cluster figures (a single agent). */
  nodes: z.array(NodeSchema),
  /** The highest term reported. */
  term: z.string().nullable(),
  /**
   * etcd: the node serving in that term; null when the latest word of that term is a fence. Two gateways: the one that
   * may give more than the fail-safe, with the chargers it counted and since when; `holder` null when none may.
   */
  master: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('etcd'), nodeId: z.string(), term: z.string(), since: z.number().nullable() }),
      z.object({
        mode: z.literal('twoGateway'),
        holder: z
          .object({ nodeId: z.string(), countedChargers: z.number(), siteChargers: z.number(), since: z.number() })
          .nullable(),
      }),
    ])
    .nullable(),
  /** etcd's members as the node that reported them last saw them. */
  etcd: z.object({ members: z.number(), healthy: z.number(), nodeId: z.string(), at: z.number() }).nullable(),
  /** The latest node to report serving as master, and the node that held the term before it (fenced, with why). */
  lastTakeover: z
    .object({
      at: z.number(),
      nodeId: z.string(),
      term: z.string(),
      previous: z.object({ nodeId: z.string(), fenced: z.boolean(), reason: z.string().nullable() }).nullable(),
    })
    .nullable(),
});

export type SiteClusterAnswer = z.output<typeof SiteClusterAnswerSchema>;
type NodeAnswer = z.output<typeof NodeSchema>;

/** What a node reported last in a takeover event, when. */
export interface ClusterNodeReport extends ClusterFailoverDetails {
  readonly at: number;
}

/** What a two-gateway node reported last in a majority event, when. */
export interface ClusterMajorityReport extends ClusterMajorityDetails {
  readonly at: number;
}

/**
 * A two-gateway site (its latest cluster word of any kind is a majority event or two-gateway figures: a site rebuilt
 * from etcd keeps its old takeover reports) and which gateway holds the majority, by each one's latest event.
 */
function twoGatewayMaster(
  reports: readonly ClusterNodeReport[],
  health: readonly ClusterHealthReport[],
  majorities: readonly ClusterMajorityReport[],
): SiteClusterAnswer['master'] | undefined {
  const words = [
    ...reports.map((r) => ({ at: r.at, twoGateway: false })),
    ...health.map((h) => ({ at: h.at, twoGateway: h.figures.mode === 'twoGateway' })),
    ...majorities.map((m) => ({ at: m.at, twoGateway: true })),
  ].sort((a, b) => b.at - a.at);
  if (words[0]?.twoGateway !== true) return undefined;
  // Each gateway says when it gains or loses the majority; of two that say they hold it, the later one's loss is still
  // on its way (the rule lets only one hold it at a time).
  const holder = [...majorities].sort((a, b) => b.at - a.at).find((m) => m.mayExceedFailSafe);
  if (holder === undefined) return { mode: 'twoGateway', holder: null };
  const { nodeId, countedChargers, siteChargers, at } = holder;
  return { mode: 'twoGateway', holder: { nodeId, countedChargers, siteChargers, since: at } };
}

/** Latest first: the higher term, then the later report. */
const newest = (a: ClusterNodeReport, b: ClusterNodeReport) => compareTerms(b.term, a.term) || b.at - a.at;

/**
 * Every word of who serves in which term: the takeover events, and each sample's leader as its node read it from etcd
 * (a node's own term only while it says it serves: a fenced node may still read its own key before etcd drops it).
 */
function termClaims(
  reports: readonly ClusterNodeReport[],
  health: readonly ClusterHealthReport[],
): ClusterNodeReport[] {
  const fromSamples = health.flatMap(({ at, figures }): ClusterNodeReport[] => {
    const { leader } = figures;
    if (leader === undefined || (leader.nodeId === figures.nodeId && figures.role !== 'master')) return [];
    return [{ nodeId: leader.nodeId, term: leader.term, role: 'master', at }];
  });
  return [...reports, ...fromSamples].sort(newest);
}

/** The master's since: its takeover event in that term, else when the samples say it began (the earliest such). */
function masterSince(
  master: ClusterNodeReport,
  reports: readonly ClusterNodeReport[],
  health: readonly ClusterHealthReport[],
) {
  const event = reports.find((r) => r.nodeId === master.nodeId && r.term === master.term && r.role === 'master');
  if (event !== undefined) return event.at;
  const said = health
    .map((h) => h.figures.leader)
    .filter((l) => l?.nodeId === master.nodeId && l.term === master.term && l.since !== null)
    .map((l) => l?.since ?? 0);
  return said.length === 0 ? null : Math.min(...said);
}

/** The site's cluster from each node's latest takeover event, figures and majority event, at `now`. */
export function siteClusterView(
  siteId: string,
  reports: readonly ClusterNodeReport[],
  health: readonly ClusterHealthReport[] = [],
  now = 0,
  majorities: readonly ClusterMajorityReport[] = [],
): SiteClusterAnswer {
  const byTerm = [...reports].sort(newest);
  const claims = termClaims(reports, health);
  const top = claims[0];
  const master =
    top?.role === 'master'
      ? { mode: 'etcd' as const, nodeId: top.nodeId, term: top.term, since: masterSince(top, reports, health) }
      : null;
  const leader = byTerm.find((r) => r.role === 'master');
  const previous = leader && byTerm.find((r) => r !== leader && compareTerms(r.term, leader.term) < 0);
  const ids = new Set([
    ...claims.map((c) => c.nodeId),
    ...health.flatMap((h) => [h.figures.nodeId, ...h.figures.peers.map((p) => p.nodeId)]),
  ]);
  const node = (nodeId: string): NodeAnswer => {
    const event = reports.find((r) => r.nodeId === nodeId);
    const sample = health.find((h) => h.figures.nodeId === nodeId);
    const { health: state, lastHeard } = clusterNodeHealth(nodeId, health, event?.at);
    const saidLast =
      sample !== undefined && (event === undefined || sample.at > event.at) ? sample.figures.role : event?.role;
    // Only one node on etcd serves: another's word that it does is older than the master's. Two gateways have no
    // terms: each says whether it holds the majority that lets it give more than the fail-safe.
    const twoGateway = sample?.figures.mode === 'twoGateway';
    const role =
      master?.nodeId === nodeId || (twoGateway && saidLast === 'master')
        ? 'master'
        : saidLast === 'fenced'
          ? 'fenced'
          : 'standby';
    const fence = role === 'fenced' && event?.role === 'fenced' ? event : undefined;
    return {
      nodeId,
      role,
      health: state,
      term: master?.nodeId === nodeId ? master.term : (event?.term ?? null),
      since: role === 'master' ? (master?.since ?? null) : (fence?.at ?? null),
      lastHeard,
      stale: lastHeard === null || now - lastHeard > CLUSTER_STALE_AFTER_MS,
      etcdReachable: sample?.figures.etcdReachable ?? null,
      reason: fence?.reason ?? null,
    };
  };
  const withMembers = [...health].sort((a, b) => b.at - a.at).find((h) => h.figures.etcdMembers.length > 0);
  return {
    siteId,
    nodes: [...ids].sort((a, b) => a.localeCompare(b)).map(node),
    term: top?.term ?? null,
    master: twoGatewayMaster(reports, health, majorities) ?? master,
    etcd: withMembers
      ? {
          members: withMembers.figures.etcdMembers.length,
          healthy: withMembers.figures.etcdMembers.filter((m) => m.healthy).length,
          nodeId: withMembers.figures.nodeId,
          at: withMembers.at,
        }
      : null,
    lastTakeover: leader
      ? {
          at: leader.at,
          nodeId: leader.nodeId,
          term: leader.term,
          previous: previous
            ? { nodeId: previous.nodeId, fenced: previous.role === 'fenced', reason: previous.reason ?? null }
            : null,
        }
      : null,
  };
}
