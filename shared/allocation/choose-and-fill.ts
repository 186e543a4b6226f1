/** One pass of choosing who charges and filling them, repeated while the imbalance limit pauses cars. */
import type { Policy } from '../policy/policy-schema';
import { classGroups, fillClasses, type FillResult } from './class-fill';
import { stepsDown, type ConnectorDemand } from './connector-demand';
import { addUsage, fits, type ConstraintLayout, type ConstraintSet } from './constraint-set';
import { selectActive, type PauseSelection } from './pause-selection';
import { balancePhases, phaseTotals } from './phase-balance';
import type { FillWorkspace } from './fill-workspace';
import { f64, i32, u8 } from './typed-access';

export interface ChosenFill {
  readonly selection: PauseSelection;
  readonly fill: FillResult;
  /** 1 for each connector cut back or paused for phase balance. */
  readonly limited: Uint8Array;
  /** Active candidates by class, highest class first. */
  readonly groups: number[][];
}

/** Cars the imbalance limit paused free budget for others: choose again without them, a bounded number of times. */
const BALANCE_ROUNDS = 8;

/**
 * Chooses the cars that charge, water-fills them class by class and balances phases; cars the imbalance limit
 * paused are left out and the choice made again. `excluded` marks candidates that take no part at all.
 */
export function chooseAndFill(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  layout: ConstraintLayout,
  capacity: Float64Array,
  policy: Policy,
  now: number,
  excluded?: Uint8Array,
): ChosenFill {
  const held = new Uint8Array(demand.n);
  const retried = new Uint8Array(demand.n);
  const imbalanceCaps = capacity.slice(layout.imbalanceBase, layout.imbalanceBase + 3);
  for (let round = 1; ; round++) {
    capacity.set(imbalanceCaps, layout.imbalanceBase);
    const selection = selectActive(demand, set, capacity, policy, now, held, excluded);
    const groups = classGroups(demand, selection.active);
    const initial = fillClasses(ws, demand, set, capacity, selection.used, groups);
    const { fill, limited } = balancePhases(
      ws,
      demand,
      set,
      layout,
      capacity,
      selection.used,
      groups,
      selection.active,
      initial,
      policy,
      round < BALANCE_ROUNDS,
    );
    let pausedForBalance = false;
    for (let i = 0; i < demand.n; i++) {
      if (limited[i] && !selection.active[i]) {
        held[i] = 1;
        pausedForBalance = true;
      }
    }
    // A car held back in an earlier round may fit now that others were paused or cut: it gets one more try.
    if (!pausedForBalance && round < BALANCE_ROUNDS && held.includes(1)) {
      // Against every limit but the imbalance caps this round lowered: the imbalance is checked as it is.
      const limits = capacity.slice();
      limits.set(imbalanceCaps, layout.imbalanceBase);
      if (retryHeld(demand, set, limits, selection, fill, held, retried, policy)) continue;
    }
    if (!pausedForBalance || round === BALANCE_ROUNDS) {
      for (let i = 0; i < demand.n; i++) if (held[i]) limited[i] = 1;
      readmitHeld(demand, set, layout, capacity, selection, fill, held, policy);
      return { selection, fill, limited, groups: classGroups(demand, selection.active) };
    }
  }
}

/**
 * Releases the held cars whose minimum fits beside every active car's minimum, and within the imbalance limit beside
 * this round's result, for one more round. A held car that would fit in place of an active car it outranks (a lower
 * class, or more energy) swaps with it: the active car waits, as it would have had both been chosen together. Each
 * car is released at most once, so a car the next round pauses again cannot make the rounds alternate.
 */
function retryHeld(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  selection: PauseSelection,
  fill: FillResult,
  held: Uint8Array,
  retried: Uint8Array,
  policy: Policy,
): boolean {
  const maxAmps = policy.phaseImbalance.maxAmps;
  if (maxAmps === null) return false;
  const allowed = stepsDown(maxAmps, policy.granularityAmps);
  const totals = phaseTotals(demand, selection.active, fill.steps);
  const spread = Math.max(...totals) - Math.min(...totals);
  const fitsBeside = (i: number, without: number) => {
    const after = totals.map((total, p) => {
      let shifted = total;
      if (without >= 0 && demand.phaseCount[without] !== 3 && u8(demand.phaseMask, without) & (1 << p))
        shifted -= i32(fill.steps, without);
      if (demand.phaseCount[i] !== 3 && u8(demand.phaseMask, i) & (1 << p)) shifted += i32(demand.minSteps, i);
      return shifted;
    });
    return Math.max(...after) - Math.min(...after) <= Math.max(allowed, spread);
  };
  // Highest rank first; each car released counts for the next, so no more are released than fit together.
  const candidates: number[] = [];
  for (let i = 0; i < demand.n; i++) if (held[i] && !retried[i]) candidates.push(i);
  candidates.sort((a, b) => (outranks(demand, a, b) ? -1 : 1));
  const used = selection.used.slice();
  let any = false;
  for (const i of candidates) {
    if (!fits(set, used, capacity, i, i32(demand.minSteps, i))) continue;
    let swap = -1;
    if (!fitsBeside(i, -1)) {
      for (let j = 0; j < demand.n; j++) {
        if (
          selection.active[j] &&
          !held[j] &&
          demand.phaseCount[j] !== 3 &&
          outranks(demand, i, j) &&
          (swap < 0 || outranks(demand, swap, j)) &&
          fitsBeside(i, j)
        )
          swap = j;
      }
      if (swap < 0) continue;
      held[swap] = 1;
      shiftTotals(demand, totals, swap, -i32(fill.steps, swap));
    }
    held[i] = 0;
    retried[i] = 1;
    any = true;
    addUsage(set, used, i, i32(demand.minSteps, i));
    shiftTotals(demand, totals, i, i32(demand.minSteps, i));
  }
  return any;
}

function shiftTotals(demand: ConnectorDemand, totals: [number, number, number], i: number, amount: number): void {
  if (demand.phaseCount[i] === 3) return;
  const mask = u8(demand.phaseMask, i);
  if (mask & 1) totals[0] += amount;
  if (mask & 2) totals[1] += amount;
  if (mask & 4) totals[2] += amount;
}

/** True when car i ranks above car j for charging: a higher class, or less energy, or (all equal) the earlier connector. */
function outranks(demand: ConnectorDemand, i: number, j: number): boolean {
  if (demand.klass[i] !== demand.klass[j]) return i32(demand.klass, i) > i32(demand.klass, j);
  if (demand.energyWh[i] !== demand.energyWh[j]) return f64(demand.energyWh, i) < f64(demand.energyWh, j);
  return i < j;
}

/**
 * Cars paused for balance in one round may fit again once others were paused or cut in a later one: each is
 * readmitted at its minimum, highest rank first (higher class, then less energy), when every limit and the
 * imbalance limit still hold. The final top-up then shares what is left.
 */
function readmitHeld(
  demand: ConnectorDemand,
  set: ConstraintSet,
  layout: ConstraintLayout,
  capacity: Float64Array,
  selection: PauseSelection,
  fill: FillResult,
  held: Uint8Array,
  policy: Policy,
): void {
  const maxAmps = policy.phaseImbalance.maxAmps;
  const waiting: number[] = [];
  for (let i = 0; i < demand.n; i++) if (held[i] && !selection.active[i]) waiting.push(i);
  if (waiting.length === 0 || maxAmps === null) return;
  waiting.sort(
    (a, b) => i32(demand.klass, b) - i32(demand.klass, a) || f64(demand.energyWh, a) - f64(demand.energyWh, b) || a - b,
  );
  const allowed = stepsDown(maxAmps, policy.granularityAmps);
  const totals = phaseTotals(demand, selection.active, fill.steps);
  for (const i of waiting) {
    const min = i32(demand.minSteps, i);
    if (!fits(set, fill.used, capacity, i, min)) continue;
    const mask = u8(demand.phaseMask, i);
    const after = demand.phaseCount[i] === 3 ? totals : totals.map((t, p) => (mask & (1 << p) ? t + min : t));
    if (Math.max(...after) - Math.min(...after) > Math.max(allowed, Math.max(...totals) - Math.min(...totals)))
      continue;
    after.forEach((total, p) => (totals[p] = total));
    selection.active[i] = 1;
    selection.pauseReason[i] = undefined;
    fill.steps[i] = min;
    addUsage(set, fill.used, i, min);
  }
  // The imbalance caps were the lightest phase plus the limit before these cars came back.
  for (let p = 0; p < 3; p++)
    capacity[layout.imbalanceBase + p] = Math.max(
      f64(capacity, layout.imbalanceBase + p),
      Math.min(...totals) + allowed,
    );
}
