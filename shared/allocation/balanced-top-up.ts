/**
 * The last top-up under a phase-imbalance limit. The balancing caps each heavy phase at the lightest phase plus the
 * limit as it stood then; a 2-phase car that also loads the lightest phase, or cars on the light phases that rise,
 * lift that lightest phase, so a step the caps refused may fit now. Here the imbalance is checked as it is at each
 * step instead of against the caps.
 */
import type { Policy } from '../policy/policy-schema';
import { stepsDown, type ConnectorDemand } from './connector-demand';
import { addUsage, fits, type ConstraintLayout, type ConstraintSet } from './constraint-set';
import { sortByKey } from './counting-sort';
import { tradeAcrossLightest } from './lightest-phase-trade';
import { phaseTotals } from './phase-balance';
import { f64, i32, u8 } from './typed-access';

/**
 * Gives one more step at a time to active members below their maximum, class by class and lowest first, while every
 * other limit holds and the imbalance stays within its limit (or, where reserved load alone makes it wider, none of
 * the car's phases gets further above the lightest than the limit). Leaves the imbalance caps at the lightest phase
 * plus the limit. With `trade`, then levels 2-phase cars with higher cars of their class (`tradeAcrossLightest`); true
 * when a trade moved steps between cars, which can free room on a phase, or power under a kW budget.
 */
export function balancedTopUp(
  demand: ConnectorDemand,
  set: ConstraintSet,
  layout: ConstraintLayout,
  capacity: Float64Array,
  used: Float64Array,
  groups: readonly number[][],
  active: Uint8Array,
  fill: { readonly steps: Int32Array; readonly boundBy: Int32Array },
  policy: Policy,
  trade: boolean,
): boolean {
  const { steps, boundBy } = fill;
  const maxAmps = policy.phaseImbalance.maxAmps;
  if (maxAmps === null) return false;
  const allowed = stepsDown(maxAmps, policy.granularityAmps);
  const totals = phaseTotals(demand, active, steps);
  const base = layout.imbalanceBase;
  for (let p = 0; p < 3; p++) capacity[base + p] = Infinity;
  const balancedAfter = (i: number): boolean => {
    if (demand.phaseCount[i] === 3) return true;
    const mask = u8(demand.phaseMask, i);
    const t0 = totals[0] + (mask & 1 ? 1 : 0);
    const t1 = totals[1] + (mask & 2 ? 1 : 0);
    const t2 = totals[2] + (mask & 4 ? 1 : 0);
    const lightest = Math.min(t0, t1, t2);
    if (Math.max(t0, t1, t2) - lightest <= allowed) return true;
    return (
      (!(mask & 1) || t0 - lightest <= allowed) &&
      (!(mask & 2) || t1 - lightest <= allowed) &&
      (!(mask & 4) || t2 - lightest <= allowed)
    );
  };
  // Per class, the cars that may still take a step, lowest first.
  const pending: ArrayLike<number>[] = groups.map((members) => {
    // The limit that stopped a car in its fill is the likeliest to have no step left: cars under a full one are out.
    const open = members.filter((i) => {
      const bound = i32(boundBy, i);
      return (
        active[i] &&
        i32(steps, i) < i32(demand.maxSteps, i) &&
        (bound < 0 || f64(used, bound) + 1 <= f64(capacity, bound))
      );
    });
    return sortByKey(open, steps);
  });
  // One step for each car of class g that can take one; usage only grows, so a car another limit stops never fits
  // again, while one the imbalance stops may, once others rose.
  const pass = (g: number): boolean => {
    const cars = pending[g]!;
    const waiting: number[] = [];
    const risen: number[] = [];
    let grown = false;
    for (let k = 0; k < cars.length; k++) {
      const i = cars[k]!;
      if (!fits(set, used, capacity, i, 1)) continue;
      if (!balancedAfter(i)) {
        waiting.push(i);
        continue;
      }
      steps[i] = i32(steps, i) + 1;
      addUsage(set, used, i, 1);
      const mask = u8(demand.phaseMask, i);
      if (demand.phaseCount[i] !== 3) {
        if (mask & 1) totals[0] += 1;
        if (mask & 2) totals[1] += 1;
        if (mask & 4) totals[2] += 1;
      }
      grown = true;
      if (i32(steps, i) < i32(demand.maxSteps, i)) risen.push(i);
    }
    pending[g] = mergeBySteps(waiting, risen, steps);
    return grown;
  };
  // Classes from the top, each until it takes no more; a lower class rising may lift the lightest phase and make
  // room for a higher one, which then goes first again.
  for (let g = 0; g < groups.length; ) {
    if (!pass(g)) g++;
    else if (g > 0) g = 0;
  }
  const traded = trade && tradeAcrossLightest(demand, set, capacity, used, active, steps, totals, allowed, base / 3);
  const lightest = Math.min(...totals);
  for (let p = 0; p < 3; p++) capacity[base + p] = lightest + allowed;
  return traded;
}

/** Two lists each in ascending steps, merged so that the lowest car is still tried first on the next pass. */
function mergeBySteps(a: readonly number[], b: readonly number[], steps: Int32Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && steps[a[i]!]! <= steps[b[j]!]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
