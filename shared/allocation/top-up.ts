/** Hands out the steps that rounding down left free, so no budget stays unused while a car could take more. */
import type { ConnectorDemand } from './connector-demand';
import { addUsage, fits, type ConstraintSet } from './constraint-set';
import { sortByKey } from './counting-sort';
import { f64, i32 } from './typed-access';

/**
 * Gives one more step at a time to the members of one class that are below their maximum, lowest allocation
 * first, until none fits. Run per class right after its fill (so a class's rounding leftovers are not handed down
 * to lower classes), and once more, class by class, at the end.
 */
export function topUp(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  members: readonly number[],
  fill: { readonly steps: Int32Array; readonly boundBy: Int32Array },
): void {
  const { steps, boundBy } = fill;
  const below = members.filter((i) => i32(steps, i) < i32(demand.maxSteps, i));
  // Usage only grows, so a connector that did not fit once never fits again: each pass keeps only those that grew.
  let pending = sortByKey(below, steps);
  while (pending.length > 0) {
    let grown = 0;
    for (const i of pending) {
      // The limit that stopped the car is the likeliest to have no step left: look there first.
      const bound = i32(boundBy, i);
      if (
        i32(steps, i) >= i32(demand.maxSteps, i) ||
        (bound >= 0 && f64(used, bound) + 1 > f64(capacity, bound)) ||
        !fits(set, used, capacity, i, 1)
      )
        continue;
      steps[i] = i32(steps, i) + 1;
      addUsage(set, used, i, 1);
      pending[grown++] = i;
    }
    pending = pending.subarray(0, grown);
  }
}
