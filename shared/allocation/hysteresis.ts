/** Keeps a car at its previous limit when the change is smaller than the hysteresis step and the limits allow it. */
import type { Policy } from '../policy/policy-schema';
import { stepsDown, stepsUp, type ConnectorDemand } from './connector-demand';
import { PrevActivity } from './previous-round';
import { addUsage, fits, type ConstraintSet } from './constraint-set';
import { phaseTotals } from './phase-balance';

/**
 * Small rises are dropped first (it frees current), then small falls are held where every limit still has room for
 * the previous value. Neither may widen the phase imbalance beyond its limit: dropping a rise on a light phase while
 * the others rise does, so such a rise is made. Returns 1 for each connector held at its previous value.
 */
export function applyHysteresis(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  steps: Int32Array,
  policy: Policy,
): Uint8Array {
  const held = new Uint8Array(demand.n);
  const band = stepsUp(policy.hysteresis.stepAmps, policy.granularityAmps);
  if (band <= 1) return held;
  const imbalance = imbalanceGuard(demand, active, steps, policy);
  const falls: Array<[number, number]> = [];
  for (let i = 0; i < demand.n; i++) {
    if (!active[i] || demand.previous.activity[i] !== PrevActivity.Active) continue;
    const prevSteps = Math.round(demand.previous.amps[i]! / policy.granularityAmps);
    const delta = steps[i]! - prevSteps;
    if (delta === 0 || Math.abs(delta) >= band || prevSteps < demand.minSteps[i]! || prevSteps > demand.maxSteps[i]!) continue;
    if (delta > 0) {
      if (imbalance && !imbalance.tryMove(i, -delta)) continue;
      addUsage(set, used, i, -delta);
      steps[i] = prevSteps;
      held[i] = 1;
    } else {
      falls.push([i, -delta]);
    }
  }
  for (const [i, rise] of falls) {
    if (!fits(set, used, capacity, i, rise) || (imbalance && !imbalance.tryMove(i, rise))) continue;
    addUsage(set, used, i, rise);
    steps[i]! += rise;
    held[i] = 1;
  }
  return held;
}

/**
 * The 1- and 2-phase load per grid phase, kept up to date as cars are held: a move is made only when the spread
 * stays within the limit, or (when it was already wider, e.g. from reserved load) does not grow.
 */
function imbalanceGuard(demand: ConnectorDemand, active: Uint8Array, steps: Int32Array, policy: Policy) {
  const maxAmps = policy.phaseImbalance.maxAmps;
  if (maxAmps === null) return undefined;
  const allowed = stepsDown(maxAmps, policy.granularityAmps);
  const totals = phaseTotals(demand, active, steps);
  const spread = () => Math.max(totals[0], totals[1], totals[2]) - Math.min(totals[0], totals[1], totals[2]);
  const shift = (mask: number, amount: number) => {
    for (let p = 0; p < 3; p++) if (mask & (1 << p)) totals[p]! += amount;
  };
  return {
    tryMove(i: number, amount: number): boolean {
      if (demand.phaseCount[i] === 3) return true;
      const before = spread();
      shift(demand.phaseMask[i]!, amount);
      if (spread() <= Math.max(allowed, before)) return true;
      shift(demand.phaseMask[i]!, -amount);
      return false;
    },
  };
}
