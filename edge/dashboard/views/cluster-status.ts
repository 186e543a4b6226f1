/** This agent's place in its cluster, and how the site is doing. */
import type { Allocation } from '../../../shared/allocation/allocation-types';
import type { ClusterAnswer } from '../../../shared/dashboard/api-answers';

/**
 * There is no clustering yet: this agent is the master, elected statically, and has no peers. The cluster work
 * (master election, standby agents) replaces this one function.
 */
export function localClusterRole(): Pick<ClusterAnswer, 'role' | 'electionType' | 'peers'> {
  return { role: 'master', electionType: 'static', peers: [] };
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
