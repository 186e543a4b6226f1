/** The allocation engine: `(site snapshot, policy, now) -> allocation`, pure and deterministic. */
import type { Policy } from '../policy/policy-schema';
import type { Allocation, SiteSnapshot } from './allocation-types';
import { buildAllocation } from './allocation-output';
import { chooseAndFill } from './choose-and-fill';
import { classGroups } from './class-fill';
import { connectorDemand } from './connector-demand';
import { constraintLimits } from './constraint-limits';
import { buildConstraintSet, constraintLayout, type ConstraintLayout } from './constraint-set';
import { balancedTopUp } from './balanced-top-up';
import { applyHysteresis } from './hysteresis';
import { admitLate } from './late-admission';
import { previousRound } from './previous-round';
import { siteTopology } from './site-topology';
import { chooseAndFillStrict, strictClasses } from './strict-priority';
import { topUp } from './top-up';

/**
 * Decides every connector's current on every phase so that no circuit fuse, charger limit, budget or
 * phase-imbalance limit is exceeded: pause whom the minimums do not fit, water-fill by class, balance phases,
 * hand out rounding leftovers, then hold small changes back (hysteresis).
 */
export function allocate(snapshot: SiteSnapshot, policy: Policy, now: number): Allocation {
  const topology = siteTopology(snapshot.site);
  const demand = connectorDemand(topology, snapshot.connectors, previousRound(topology, snapshot.previous), policy, now);
  const layout = constraintLayout(topology);
  const limits = constraintLimits(snapshot.site, topology, layout, demand, snapshot.meters, policy, now, snapshot.otherLoad);
  const { capacity } = limits;
  const set = buildConstraintSet(topology, demand, layout, capacity);
  const strict = policy.distribution === 'priorityStrict';
  if (strict) strictClasses(demand);
  const { selection, fill, limited, groups } = (strict ? chooseAndFillStrict : chooseAndFill)(demand, set, layout, capacity, policy, now);
  const { active } = selection;
  // Each class was topped up after its fill; steps freed by phase balancing (or, in strict mode, by lower classes
  // rising on the light phases) are handed out here.
  const balanced = limited.includes(1);
  if (policy.phaseImbalance.maxAmps !== null && (balanced || imbalanceBound(layout, fill.boundBy, active))) {
    if (balancedTopUp(demand, set, layout, capacity, fill.used, groups, active, fill, policy)) {
      // A trade moved load between phases: waiting cars get their minimum first, then everyone what is left.
      admitLate(demand, set, capacity, fill.used, active, fill.steps, selection.pauseReason);
      balancedTopUp(demand, set, layout, capacity, fill.used, classGroups(demand, active), active, fill, policy);
    }
  } else if (strict || balanced) for (const members of groups) topUp(demand, set, capacity, fill.used, members.filter((i) => active[i]), fill);
  const held = applyHysteresis(demand, set, capacity, fill.used, active, fill.steps, policy);
  const outcome = { active, steps: fill.steps, boundBy: fill.boundBy, pauseReason: selection.pauseReason, balanced: limited, held };
  return buildAllocation(topology, layout, demand, limits, outcome, policy, now);
}

/** True when an imbalance cap stopped some active car: only then can the imbalance as it is leave it room the caps did not. */
function imbalanceBound(layout: ConstraintLayout, boundBy: Int32Array, active: Uint8Array): boolean {
  for (let i = 0; i < boundBy.length; i++) if (active[i] && boundBy[i]! >= layout.imbalanceBase && boundBy[i]! < layout.imbalanceBase + 3) return true;
  return false;
}
