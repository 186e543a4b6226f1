/**
 * A step traded from a car to a 2-phase one of its class under an imbalance limit. Phase balancing caps each heavy
 * phase at the lightest phase plus the limit; a 2-phase car that also loads the lightest phase lifts both ends alike
 * as it rises, but the cap stops it all the same, and a 3-phase car under the same fuse takes the room it left. Once
 * the fill is over, the fuse is full: the higher car gives a step back to the lower one, as max-min fairness wants,
 * where every limit and the imbalance still hold.
 */
import { ALL_PHASES, addUsage, fits, type ConstraintSet } from './constraint-set';
import type { ConnectorDemand } from './connector-demand';
import { f64, i32, u8 } from './typed-access';

/** Limits with more members than this are not searched for a car to trade with (a site-wide budget on a large site). */
const SEARCH_LIMIT = 256;
/** Trades one car may make in one round. */
const TRADES_PER_CAR = 32;

/** Levels 2-phase cars that load a lightest phase with the higher cars of their class they share a full limit with; true when any step moved. */
export function tradeAcrossLightest(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  steps: Int32Array,
  totals: [number, number, number],
  allowed: number,
  imbalanceGroup: number,
): boolean {
  let traded = false;
  const shift = (i: number, amount: number) => {
    if (demand.phaseCount[i] === 3) return;
    const mask = u8(demand.phaseMask, i);
    if (mask & 1) totals[0] += amount;
    if (mask & 2) totals[1] += amount;
    if (mask & 4) totals[2] += amount;
  };
  // Moves `amount` steps from car i to car j when every limit and the imbalance still hold.
  const tryTrade = (i: number, j: number, amount: number): boolean => {
    const before = spread();
    addUsage(set, used, i, -amount);
    shift(i, -amount);
    shift(j, amount);
    if (fits(set, used, capacity, j, amount) && spread() <= Math.max(allowed, before)) {
      addUsage(set, used, j, amount);
      steps[i] = i32(steps, i) - amount;
      steps[j] = i32(steps, j) + amount;
      traded = true;
      return true;
    }
    shift(j, -amount);
    shift(i, amount);
    addUsage(set, used, i, amount);
    return false;
  };
  const spread = () => Math.max(totals[0], totals[1], totals[2]) - Math.min(totals[0], totals[1], totals[2]);
  for (let j = 0; j < demand.n; j++) {
    // A 1-phase car on the lightest phase is never capped by the imbalance: only 2-phase cars lose room this way.
    if (!active[j] || demand.phaseCount[j] !== 2) continue;
    for (let trade = 0; trade < TRADES_PER_CAR && i32(steps, j) < i32(demand.maxSteps, j); trade++) {
      const lightest = Math.min(totals[0], totals[1], totals[2]);
      const lightMask =
        (totals[0] === lightest ? 1 : 0) | (totals[1] === lightest ? 2 : 0) | (totals[2] === lightest ? 4 : 0);
      if ((u8(demand.phaseMask, j) & lightMask) === 0) break;
      const c = fullConstraint(set, used, capacity, j, imbalanceGroup);
      const i = c < 0 ? -1 : highestUnder(demand, set, active, steps, c, j);
      if (i < 0) break;
      // Half the gap at once when it fits, else one step: a few trades level the pair.
      const half = Math.max(1, Math.floor((i32(steps, i) - i32(steps, j)) / 2));
      if (
        !tryTrade(
          i,
          j,
          Math.min(half, i32(demand.maxSteps, j) - i32(steps, j), i32(steps, i) - i32(demand.minSteps, i)),
        ) &&
        (half === 1 || !tryTrade(i, j, 1))
      )
        break;
    }
  }
  return traded;
}

/** The first limit (not an imbalance cap) that has no step left for car j, or -1. */
function fullConstraint(
  set: ConstraintSet,
  used: Float64Array,
  capacity: Float64Array,
  j: number,
  imbalanceGroup: number,
): number {
  for (let k = i32(set.start, j), end = i32(set.start, j + 1); k < end; k++) {
    const g = i32(set.group, k);
    if (g === imbalanceGroup) continue;
    const p = u8(set.phase, k);
    for (let q = 0; q < 3; q++) {
      if (p !== ALL_PHASES && p !== q) continue;
      const c = g * 3 + q;
      if (f64(used, c) + i32(set.weight, k) > f64(capacity, c)) return c;
    }
  }
  return -1;
}

/** The highest active car of j's class under limit c, at least two steps above j and above its own minimum, or -1. */
function highestUnder(
  demand: ConnectorDemand,
  set: ConstraintSet,
  active: Uint8Array,
  steps: Int32Array,
  c: number,
  j: number,
): number {
  const g = Math.floor(c / 3);
  const allFrom = i32(set.allStart, g);
  const allTo = i32(set.allStart, g + 1);
  const phaseFrom = i32(set.phaseStart, c);
  const phaseTo = i32(set.phaseStart, c + 1);
  if (allTo - allFrom + phaseTo - phaseFrom > SEARCH_LIMIT) return -1;
  let best = -1;
  const consider = (i: number) => {
    if (
      i === j ||
      !active[i] ||
      demand.klass[i] !== demand.klass[j] ||
      i32(steps, i) < i32(steps, j) + 2 ||
      i32(steps, i) <= i32(demand.minSteps, i)
    )
      return;
    if (best < 0 || i32(steps, i) > i32(steps, best)) best = i;
  };
  for (let k = allFrom; k < allTo; k++) consider(i32(set.allMembers, k));
  for (let k = phaseFrom; k < phaseTo; k++) consider(i32(set.phaseMembers, k));
  return best;
}
