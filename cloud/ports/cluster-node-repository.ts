/** Port: each node of a site's cluster as its latest takeover event left it (docs/cluster.md, "In the fleet console"). */

export interface ClusterNodeRecord {
  readonly tenantId: string;
  readonly siteId: string;
  readonly nodeId: string;
  /** What the node reported last: it serves as master in `term`, or it was fenced out of `term`. */
  readonly role: 'master' | 'fenced';
  /** etcd's decimal term (see shared/sync/cluster-failover.ts). */
  readonly term: string;
  /** When the node reported it (epoch ms, the node's clock). */
  readonly at: number;
  /** A fence's reason, as the agent said it (English). */
  readonly reason?: string;
}

export interface ClusterNodeRepository {
  /** Keeps the report unless the node's stored one is as recent or more (a replayed older event changes nothing). */
  report(record: ClusterNodeRecord): Promise<void>;
  /** The site's nodes, by id; at most `maxNodes`. */
  list(tenantId: string, siteId: string, maxNodes: number): Promise<ClusterNodeRecord[]>;
}
