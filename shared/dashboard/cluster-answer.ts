/**
 * What `GET /api/cluster` answers (the Cluster settings page): the site, how it is doing, and this agent's place in its
 * cluster as the agent's cluster node sees it now (docs/cluster.md), or a single agent without a `cluster` section.
 */
import { z } from 'zod';

export const CLUSTER_ROLES = ['master', 'standby', 'fenced'] as const;
/** A peer's role as this node can tell it: `unknown` when its key is gone or etcd does not answer. */
export const PEER_ROLES = ['master', 'standby', 'unknown'] as const;

/** Another node of the site, as etcd's presence keys show it (docs/cluster.md, "Static and dynamic election"). */
const ClusterPeerSchema = z.object({
  id: z.string(),
  /** `master`: it holds the election's leader key; `standby`: present and not the leader; else `unknown`. */
  role: z.enum(PEER_ROLES),
  /** The master's term (the leader key's create revision) and since when this node saw it; null for the others. */
  term: z.string().nullable(),
  since: z.number().nullable(),
  /** The addresses the node announced with its presence key; empty when it never did. */
  addresses: z.array(z.string()),
  /** Its presence key is alive in etcd now; null when etcd did not answer this read. */
  healthy: z.boolean().nullable(),
  /** When this agent last found it healthy (now, for a healthy one); null when it never did since it started. */
  lastSeenAt: z.number().nullable(),
});

/** This agent alone: no `cluster` section, so it is the site's only master and has no peers. */
const SingleNodeSchema = z.object({ mode: z.literal('single') });

/** A node of a cluster on etcd (two gateways and a witness). */
const EtcdNodeSchema = z.object({
  mode: z.literal('etcd'),
  nodeId: z.string(),
  /** `master` while it serves chargers; `fenced` from its fence until it sees a later leader; else `standby`. */
  role: z.enum(CLUSTER_ROLES),
  /** The site's election as this node read it from etcd (its last read while etcd does not answer). */
  electionType: z.enum(['static', 'dynamic']),
  /** In a static election the first healthy node leads. */
  staticOrder: z.array(z.string()),
  /** The setting's version, for a change (a compare-and-swap on it); "0" while the configuration's is in force. */
  electionVersion: z.string(),
  /** `configuration`: nobody changed it on a dashboard yet; `etcd`: a change written to etcd. */
  electionSource: z.enum(['configuration', 'etcd']),
  /** The election's leader in etcd now: its node id and term (the create revision of its key); null when none. */
  leader: z
    .object({
      nodeId: z.string(),
      term: z.string(),
      /** When this node began to serve in the term (its own), or first saw the term (another node's). */
      since: z.number().nullable(),
    })
    .nullable(),
  /** This node's last fence since it started: the term it left, why and when. */
  lastFence: z.object({ term: z.string(), reason: z.string(), at: z.number() }).nullable(),
  peers: z.array(ClusterPeerSchema),
  /**
   * The configuration has a witness (it does with etcd); whether etcd answered this read (it needs etcd's quorum, so
   * two of the three members), within the node's etcd call timeout.
   */
  witness: z.object({ configured: z.literal(true), etcdReachable: z.boolean() }),
  /** The etcd members that run no agent (named after no node): the witness, with its health from its own status. */
  witnesses: z.array(
    z.object({
      /** Its name in etcd; null when it never answered. */
      name: z.string().nullable(),
      endpoint: z.string(),
      healthy: z.boolean(),
      /** When it last answered a status call (since this node started); null when it never did. */
      lastSeenAt: z.number().nullable(),
    }),
  ),
});

/** A node of two gateways without a witness (`cluster.witness: false`): no etcd, the two-gateway rule. */
const TwoGatewayNodeSchema = z.object({
  mode: z.literal('twoGateway'),
  nodeId: z.string(),
  /** The two gateways; the first wins a tie. */
  staticOrder: z.array(z.string()),
  /** The site's chargers counted here (heard, connected long enough) at the node's last check, of all it lists. */
  countedChargers: z.number(),
  siteChargers: z.number(),
  /** A strict majority (or the first node's tie) at that check. */
  holdsMajority: z.boolean(),
  /** Held for two leases: chargers may get more than their fail-safe. */
  mayExceedFailSafe: z.boolean(),
  /** Since when the majority has been held; null without one. */
  majoritySince: z.number().nullable(),
  checkedAt: z.number().nullable(),
  /**
   * The other gateway as this node knows it: `standby` while this one holds the majority (two nodes never both do),
   * else `unknown`; reachable: its `cluster.peer.url` took a TCP connection at the last read (null: no `peer`).
   */
  peer: z.object({
    id: z.string(),
    role: z.enum(PEER_ROLES),
    reachable: z.boolean().nullable(),
    lastSeenAt: z.number().nullable(),
  }),
});

export const ClusterNodeStatusSchema = z.discriminatedUnion('mode', [
  SingleNodeSchema,
  EtcdNodeSchema,
  TwoGatewayNodeSchema,
]);

export const ClusterAnswerSchema = z.object({
  siteId: z.string(),
  siteName: z.string().nullable(),
  /** `idle`: no car charging; `balancing`: sharing the budget; `degraded`: a meter is lost or a charger does not answer. */
  monitoringState: z.enum(['idle', 'balancing', 'degraded']),
  node: ClusterNodeStatusSchema,
});

export type ClusterNodeStatus = z.output<typeof ClusterNodeStatusSchema>;
export type EtcdNodeStatus = z.output<typeof EtcdNodeSchema>;
export type TwoGatewayNodeStatus = z.output<typeof TwoGatewayNodeSchema>;
export type ClusterPeer = z.output<typeof ClusterPeerSchema>;
export type ClusterWitness = EtcdNodeStatus['witnesses'][number];
export type ClusterAnswer = z.output<typeof ClusterAnswerSchema>;
