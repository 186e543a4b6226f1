/** One point of the load history from an allocation round: grid load and EV load per phase, budget and fuse, in amps. */
import type { Allocation } from '../../../shared/allocation/allocation-types';
import type { Site } from '../../../shared/site/site-schema';
import type { PhaseAmps } from '../../../shared/units';
import { budgetAmpsPerPhase, rootFuseAmps } from '../../../shared/load-figures';
import type { LoadSample } from '../../../shared/dashboard/api-answers';

/** `gridReading`: the root meter's last valid per-phase amps, if the grid connection is metered and the meter is healthy. */
export function loadSample(allocation: Allocation, site: Site, gridReading: PhaseAmps | undefined): LoadSample {
  return {
    at: allocation.at,
    gridAmps: gridReading === undefined ? null : [...gridReading],
    evAmps: [...allocation.totalAmps],
    budgetAmps: budgetAmpsPerPhase({ unit: allocation.budget.unit, max: allocation.budget.value }, site.nominalVolts),
    fuseAmps: rootFuseAmps(site) ?? 0,
  };
}
