/**
 * A cluster node's figures, sent with each telemetry sample it makes (docs/cluster.md, "In the fleet console"): its
 * role, the election's leader and term as it reads them, whether etcd answers, each etcd member's health and what it
 * sees of its peers. Every node with a cloud link sends its own, so the fleet console knows each node's health between
 * takeovers, and a node without one (or cut off) is still listed through its peers' view of it. Bounded: a site has two
 * or three gateways, etcd three members, so the bounds leave room and keep a sample small (test: under 4 KiB at most).
 */
import { z } from 'zod';
import type { ClusterNodeStatus } from '../dashboard/cluster-answer';
import type { ClusterNetwork } from '../dashboard/network-answer';

/** The most peers a node reports (a site's gateways, and a few more replaced over its life). */
export const MAX_CLUSTER_PEERS = 8;
/** The most etcd members a node reports (etcd advises 3, 5 or 7). */
export const MAX_ETCD_MEMBERS = 7;
const MAX_ID_CHARS = 64;
const MAX_ENDPOINT_CHARS = 200;

const NodeIdSchema = z.string().min(1).max(MAX_ID_CHARS);
/** etcd's decimal int64 term (shared/sync/cluster-failover.ts). */
const TermSchema = z.string().regex(/^\d{1,20}$/);
const EpochMsSchema = z.number().int().nonnegative();

const ClusterPeerFiguresSchema = z
  .object({
    nodeId: NodeIdSchema,
    /** Its presence key is alive in etcd; null when etcd did not answer, or without etcd. */
    present: z.boolean().nullable(),
    /** Its OCPP port took a TCP connection; null when there was nothing to dial. */
    reachable: z.boolean().nullable(),
    /** When this node last found it present in etcd; null when it never did since it started. */
    lastSeenAt: EpochMsSchema.nullable(),
  })
  .strict();

export const ClusterFiguresSchema = z
  .object({
    nodeId: NodeIdSchema,
    /** `etcd`: two gateways and a witness; `twoGateway`: no witness, the two-gateway rule. */
    mode: z.enum(['etcd', 'twoGateway']),
    /**
     * `master` while it serves chargers (on two gateways: while it holds the majority that lets it give more than the
     * fail-safe); `fenced` from its fence until it sees a later leader; else `standby`.
     */
    role: z.enum(['master', 'standby', 'fenced']),
    /** The election's leader in etcd as this node read it, and since when (its own term: since it serves). */
    leader: z.object({ nodeId: NodeIdSchema, term: TermSchema, since: EpochMsSchema.nullable() }).strict().optional(),
    /** etcd answered this node's reads (it needs two of three members: the witness and a gateway); absent without etcd. */
    etcdReachable: z.boolean().optional(),
    etcdMembers: z
      .array(z.object({ endpoint: z.string().min(1).max(MAX_ENDPOINT_CHARS), healthy: z.boolean() }).strict())
      .max(MAX_ETCD_MEMBERS),
    peers: z.array(ClusterPeerFiguresSchema).max(MAX_CLUSTER_PEERS),
  })
  .strict();

export type ClusterFigures = z.output<typeof ClusterFiguresSchema>;
export type ClusterPeerFigures = z.output<typeof ClusterPeerFiguresSchema>;

/**
 * A node's figures from its status (the dashboard's Cluster page) and its network (the Network page), cut to the
 * schema's bounds: a figure too many must not cost the load sample it rides with. Undefined for a single agent.
 */
export function clusterFigures(
  status: ClusterNodeStatus,
  network: ClusterNetwork | undefined,
): ClusterFigures | undefined {
  if (status.mode === 'single') return undefined;
  const seen = new Map(status.mode === 'etcd' ? status.peers.map((p) => [p.id, p]) : []);
  const reached = new Map((network?.peers ?? []).map((p) => [p.id, p]));
  const peers = [...new Set([...seen.keys(), ...reached.keys()])].slice(0, MAX_CLUSTER_PEERS).map((id) => ({
    nodeId: id.slice(0, MAX_ID_CHARS),
    present: seen.get(id)?.healthy ?? reached.get(id)?.present ?? null,
    reachable: reached.get(id)?.reachable ?? null,
    lastSeenAt: seen.get(id)?.lastSeenAt ?? null,
  }));
  const etcdMembers = (network?.etcdMembers ?? [])
    .slice(0, MAX_ETCD_MEMBERS)
    .map((m) => ({ endpoint: m.endpoint.slice(0, MAX_ENDPOINT_CHARS), healthy: m.healthy }));
  const nodeId = status.nodeId.slice(0, MAX_ID_CHARS);
  if (status.mode === 'twoGateway')
    return { nodeId, mode: 'twoGateway', role: status.mayExceedFailSafe ? 'master' : 'standby', etcdMembers, peers };
  const { leader } = status;
  return {
    nodeId,
    mode: 'etcd',
    role: status.role,
    ...(leader !== null && {
      leader: { nodeId: leader.nodeId.slice(0, MAX_ID_CHARS), term: leader.term, since: leader.since },
    }),
    etcdReachable: status.witness.etcdReachable,
    etcdMembers,
    peers,
  };
}
