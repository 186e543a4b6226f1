/**
 * Port: each gateway of a two-gateway site (no witness) as its latest `cluster.majority` event left it: whether it may
 * give more than the fail-safe, and how many of the site's chargers it counted (docs/cluster.md, "In the fleet console").
 */
import type { ClusterMajorityDetails } from '../../shared/sync/cluster-majority';

export interface ClusterMajorityRecord extends ClusterMajorityDetails {
  readonly tenantId: string;
  readonly siteId: string;
  /** When the node gained or lost the majority (epoch ms, the node's clock). */
  readonly at: number;
}

export interface ClusterMajorityRepository {
  /** Keeps the report unless the node's stored one is as recent or more (a replayed older event changes nothing). */
  report(record: ClusterMajorityRecord): Promise<void>;
  /** The site's gateways that reported a majority change, by id; at most `maxNodes`. */
  list(tenantId: string, siteId: string, maxNodes: number): Promise<ClusterMajorityRecord[]>;
}
