/** This agent's place in its cluster, and how the site is doing. */
import type { Allocation } from '../../../shared/allocation/allocation-types';
import type { ClusterAnswer, ClusterNodeStatus } from '../../../shared/dashboard/cluster-answer';
import type { ClusterStatusHandle } from '../dashboard-ports';

/** The cluster node's own report; an agent without a `cluster` section is a single node, the site's only master. */
export function clusterNodeStatus(cluster: ClusterStatusHandle | undefined): Promise<ClusterNodeStatus> {
  return cluster === undefined ? Promise.resolve({ mode: 'single' }) : cluster.status();
}

/** `degraded` when a meter is lost or a charger does not answer, `balancing` while a car charges, else `idle`. */
export function monitoringState(allocation: Allocation | undefined): ClusterAnswer['monitoringState'] {
  if (allocation === undefined) return 'idle';
  if (
    allocation.circuits.some((c) => c.meter === 'lost') ||
    allocation.connectors.some((c) => c.reason === 'unresponsive')
  )
    return 'degraded';
  return allocation.connectors.some((c) => c.activity !== 'idle') ? 'balancing' : 'idle';
}
