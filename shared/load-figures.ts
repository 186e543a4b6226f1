/** Turns load amps into the figures the console and the dashboard compare with a policy's budget. */
import type { Policy } from './policy/policy-schema';
import type { Site } from './site/site-schema';

type PhaseAmps = readonly [number, number, number];

/** The highest of three phase currents. */
export const maxPhase = (amps: PhaseAmps) => Math.max(amps[0], amps[1], amps[2]);

/** What the chargers draw (their allocations) in the budget's unit: the highest phase in A, or the sum in kW. */
export function evLoadInBudgetUnit(allocatedAmps: PhaseAmps, unit: Policy['budget']['unit'], volts: number): number {
  return unit === 'A'
    ? maxPhase(allocatedAmps)
    : ((allocatedAmps[0] + allocatedAmps[1] + allocatedAmps[2]) * volts) / 1000;
}

/** The grid connection's fuse on its highest phase; null when the site file gives none. */
export function rootFuseAmps(site: Pick<Site, 'circuits'>): number | null {
  const fuse = site.circuits.find((c) => c.parent === null)?.fuseAmps;
  if (fuse === undefined) return null;
  return typeof fuse === 'number' ? fuse : maxPhase(fuse);
}

/** A budget as amps per phase, for a chart in amps (a kW budget spread over three phases). */
export function budgetAmpsPerPhase(budget: Pick<Policy['budget'], 'unit' | 'max'>, volts: number): number {
  return budget.unit === 'A' ? budget.max : (budget.max * 1000) / (3 * volts);
}
