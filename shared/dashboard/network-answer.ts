/**
 * What `GET /api/network` answers (the Network management page): this gateway's addresses and, on a cluster node, the
 * virtual address, the peers with whether each is reachable, etcd's members and keepalived's state (docs/cluster.md,
 * "The dashboard's Network page"). Read only.
 */
import { z } from 'zod';

export const KEEPALIVED_STATES = ['MASTER', 'BACKUP', 'FAULT', 'STOP'] as const;

const HostInterfaceSchema = z.object({ name: z.string(), address: z.string(), family: z.enum(['IPv4', 'IPv6']) });

const NetworkPeerSchema = z.object({
  id: z.string(),
  /**
   * The addresses dialled: those it announced in etcd (the last ones this node read, while its key is gone or etcd does
   * not answer), or without etcd the host of `cluster.peer.url`; empty when none is known.
   */
  addresses: z.array(z.string()),
  /** Its presence key is alive in etcd; null when etcd did not answer, or without etcd. */
  present: z.boolean().nullable(),
  /**
   * `address:port` that took a TCP connection now: its announced OCPP port, or without etcd the port of its
   * `cluster.peer.url` (the agent's own link to the other gateway); null when none did.
   */
  reachedAt: z.string().nullable(),
  /** A TCP connection was taken on one of its addresses; null: nothing to dial. */
  reachable: z.boolean().nullable(),
});

const EtcdMemberSchema = z.object({
  endpoint: z.string(),
  /** Its name in etcd (`--name`; named after a node, it runs that node's agent); null when it never answered. */
  name: z.string().nullable(),
  /** It answered a status call within the node's etcd call timeout. */
  healthy: z.boolean(),
  /** It is etcd's own Raft leader (not the site's master); null when it did not answer. */
  raftLeader: z.boolean().nullable(),
  version: z.string().nullable(),
});

const ClusterNetworkSchema = z.object({
  /** The configured virtual address and whether this gateway has it on an interface now; null when not configured. */
  virtualAddress: z.object({ address: z.string(), held: z.boolean() }).nullable(),
  peers: z.array(NetworkPeerSchema),
  /** Empty on two gateways without a witness (no etcd). */
  etcdMembers: z.array(EtcdMemberSchema),
  /** keepalived's state as its notify script last wrote it, and when; null when not configured or not readable. */
  keepalived: z.object({ state: z.enum(KEEPALIVED_STATES), since: z.number() }).nullable(),
});

export const NetworkAnswerSchema = z.object({
  interfaces: z.array(HostInterfaceSchema),
  /** Null: a single agent without a `cluster` section. */
  cluster: ClusterNetworkSchema.nullable(),
});

export type HostInterface = z.output<typeof HostInterfaceSchema>;
export type NetworkPeer = z.output<typeof NetworkPeerSchema>;
export type EtcdMemberHealth = z.output<typeof EtcdMemberSchema>;
export type ClusterNetwork = z.output<typeof ClusterNetworkSchema>;
export type NetworkAnswer = z.output<typeof NetworkAnswerSchema>;
