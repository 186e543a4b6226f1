/**
 * Port: each node of a site's cluster as its latest telemetry sample left it (its role, term and health between
 * takeovers, docs/cluster.md "In the fleet console").
 */
import type { ClusterFigures } from '../../shared/sync/cluster-figures';

export interface ClusterHealthRecord {
  readonly tenantId: string;
  readonly siteId: string;
  /** The node that sent the sample (its figures' `nodeId`). */
  readonly nodeId: string;
  /** When it made the sample (epoch ms, the node's clock). */
  readonly at: number;
  readonly figures: ClusterFigures;
}

export interface ClusterHealthRepository {
  /** Keeps the sample's figures unless the node's stored ones are as recent or more (a replayed outbox changes nothing). */
  report(record: ClusterHealthRecord): Promise<void>;
  /** The site's nodes that sent figures, by id; at most `maxNodes`. */
  list(tenantId: string, siteId: string, maxNodes: number): Promise<ClusterHealthRecord[]>;
}
