/**
 * A site's cluster as the fleet sees it (`GET /sites/:siteId/cluster`, docs/cluster.md "In the fleet console"): each
 * node as its latest takeover event left it, the current master and term, and the last takeover. Derived from the
 * events the nodes send, so a node that never led nor was fenced is not known.
 */
import { z } from 'zod';
import { compareTerms, type ClusterFailoverDetails } from '../sync/cluster-failover';

const NodeSchema = z.object({
  nodeId: z.string(),
  /** `standby`: it reported serving as master in a term a later one has replaced. */
  role: z.enum(['master', 'standby', 'fenced']),
  /** The term of its latest report. */
  term: z.string(),
  /** When it reported it (epoch ms). */
  at: z.number(),
  /** A fence's reason, as the agent said it (English); null otherwise. */
  reason: z.string().nullable(),
});

export const SiteClusterAnswerSchema = z.object({
  siteId: z.string(),
  /** By node id; empty for a site that never reported a takeover (a single agent). */
  nodes: z.array(NodeSchema),
  /** The highest term reported. */
  term: z.string().nullable(),
  /** The node serving in that term; null when the latest report of that term is a fence. */
  master: z.object({ nodeId: z.string(), term: z.string(), since: z.number() }).nullable(),
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

/** What a node reported last, when. */
export interface ClusterNodeReport extends ClusterFailoverDetails {
  readonly at: number;
}

/** Latest first: the higher term, then the later report. */
const newest = (a: ClusterNodeReport, b: ClusterNodeReport) => compareTerms(b.term, a.term) || b.at - a.at;

/** The site's cluster from each node's latest report. */
export function siteClusterView(siteId: string, reports: readonly ClusterNodeReport[]): SiteClusterAnswer {
  const byTerm = [...reports].sort(newest);
  const top = byTerm[0];
  const master = top?.role === 'master' ? top : undefined;
  const leader = byTerm.find((r) => r.role === 'master');
  const previous = leader && byTerm.find((r) => r !== leader && compareTerms(r.term, leader.term) < 0);
  return {
    siteId,
    nodes: [...reports]
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
      .map((r) => ({
        nodeId: r.nodeId,
        role: r === master ? 'master' : r.role === 'fenced' ? 'fenced' : 'standby',
        term: r.term,
        at: r.at,
        reason: r.reason ?? null,
      })),
    term: top?.term ?? null,
    master: master ? { nodeId: master.nodeId, term: master.term, since: master.at } : null,
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
