/** Keeps a car at its previous limit when the change is smaller than the hysteresis step and the limits allow it. */
import type { Policy } from '../policy/policy-schema';
import { stepsUp, type ConnectorDemand } from './connector-demand';
import { PrevActivity } from './previous-round';
import { addUsage, fits, type ConstraintSet } from './constraint-set';

/**
 * Small rises are dropped first (always safe, it frees current), then small falls are held where every limit
 * still has room for the previous value. Returns 1 for each connector held at its previous value.
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
  const falls: Array<[number, number]> = [];
  for (let i = 0; i < demand.n; i++) {
    if (!active[i] || demand.previous.activity[i] !== PrevActivity.Active) continue;
    const prevSteps = Math.round(demand.previous.amps[i]! / policy.granularityAmps);
    const delta = steps[i]! - prevSteps;
    if (delta === 0 || Math.abs(delta) >= band || prevSteps < demand.minSteps[i]! || prevSteps > demand.maxSteps[i]!) continue;
    if (delta > 0) {
      addUsage(set, used, i, -delta);
      steps[i] = prevSteps;
      held[i] = 1;
    } else {
      falls.push([i, -delta]);
    }
  }
  for (const [i, rise] of falls) {
    if (!fits(set, used, capacity, i, rise)) continue;
    addUsage(set, used, i, rise);
    steps[i]! += rise;
    held[i] = 1;
  }
  return held;
}
