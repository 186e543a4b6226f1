/** The allocation engine: `(site snapshot, policy, now) -> allocation`, pure and deterministic. */
import type { Policy } from '../policy/policy-schema';
import type { Allocation, SiteSnapshot } from './allocation-types';
import { buildAllocation } from './allocation-output';
import { classGroups, fillClasses } from './class-fill';
import { connectorDemand, type ConnectorDemand } from './connector-demand';
import { constraintLimits } from './constraint-limits';
import { buildConstraintSet, constraintLayout, type ConstraintLayout, type ConstraintSet } from './constraint-set';
import { applyHysteresis } from './hysteresis';
import { selectActive } from './pause-selection';
import { balancePhases } from './phase-balance';
import { previousRound } from './previous-round';
import { siteTopology } from './site-topology';
import { topUp } from './top-up';
import { FillWorkspace } from './water-fill';

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
  const { selection, fill, limited, groups } = chooseAndFill(demand, set, layout, capacity, policy, now);
  const { active } = selection;
  // Each class was topped up after its fill; steps freed by phase balancing are handed out here.
  if (limited.some((x) => x === 1)) for (const members of groups) topUp(demand, set, capacity, fill.used, members.filter((i) => active[i]), fill);
  const held = applyHysteresis(demand, set, capacity, fill.used, active, fill.steps, policy);
  const outcome = { active, steps: fill.steps, boundBy: fill.boundBy, pauseReason: selection.pauseReason, balanced: limited, held };
  return buildAllocation(topology, layout, demand, limits, outcome, policy, now);
}

/** Cars the imbalance limit paused free budget for others: choose again without them, a bounded number of times. */
const BALANCE_ROUNDS = 8;

function chooseAndFill(demand: ConnectorDemand, set: ConstraintSet, layout: ConstraintLayout, capacity: Float64Array, policy: Policy, now: number) {
  const held = new Uint8Array(demand.n);
  const ws = FillWorkspace.for(capacity.length, demand.n);
  const imbalanceCaps = capacity.slice(layout.imbalanceBase, layout.imbalanceBase + 3);
  for (let round = 1; ; round++) {
    capacity.set(imbalanceCaps, layout.imbalanceBase);
    const selection = selectActive(demand, set, capacity, policy, now, held);
    const groups = classGroups(demand, selection.active);
    const initial = fillClasses(ws, demand, set, capacity, selection.used, groups);
    const { fill, limited } = balancePhases(ws, demand, set, layout, capacity, selection.used, groups, selection.active, initial, policy);
    let pausedForBalance = false;
    for (let i = 0; i < demand.n; i++) {
      if (limited[i] && !selection.active[i]) {
        held[i] = 1;
        pausedForBalance = true;
      }
    }
    if (!pausedForBalance || round === BALANCE_ROUNDS) {
      for (let i = 0; i < demand.n; i++) if (held[i]) limited[i] = 1;
      return { selection, fill, limited, groups };
    }
  }
}
