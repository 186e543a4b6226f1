/**
 * The CSMS's limits as the control loop's connector ceilings: the lowest limit the CSMS sets on a connector over a
 * lease starting now, which is what the lease sender will cap that connector's lease to, so the allocation gives the
 * current a capped car cannot take to the others, and counts a car the CSMS limits to fewer phases on those only.
 */
import type { ConnectorCeilings } from '../control/control-ports';
import type { Clock } from '../platform/clock';
import type { CsmsLimits } from './csms-limits';

export function csmsCeilings(limits: CsmsLimits, clock: Clock, leaseSeconds: number): ConnectorCeilings {
  return {
    ceiling(chargerId, connectorId, phases) {
      const now = clock.now();
      return limits.lowestDuring(chargerId, { connectorId, phases }, now, now + leaseSeconds * 1000);
    },
  };
}
