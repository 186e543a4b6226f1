/** Hands out the steps that rounding down left free, so no budget stays unused while a car could take more. */
import { VIP_CLASS, type ConnectorDemand } from './connector-demand';
import { addUsage, fits, type ConstraintSet } from './constraint-set';

/**
 * Gives one more step at a time to `members` below their maximum, highest class and lowest allocation first,
 * until none fits. Run per class right after its fill (so a class's rounding leftovers are not handed down to
 * lower classes), and once more at the end.
 */
export function topUp(demand: ConnectorDemand, set: ConstraintSet, capacity: Float64Array, used: Float64Array, members: readonly number[], steps: Int32Array): void {
  const packed: number[] = [];
  for (const i of members) if (steps[i]! < demand.maxSteps[i]!) packed.push((VIP_CLASS - demand.klass[i]!) * 2 ** 35 + steps[i]! * 2 ** 21 + i);
  if (packed.length === 0) return;
  const sorted = Float64Array.from(packed).sort();
  const order = new Int32Array(sorted.length);
  for (let k = 0; k < sorted.length; k++) order[k] = sorted[k]! % 2 ** 21;
  let changed = true;
  while (changed) {
    changed = false;
    for (const i of order) {
      if (steps[i]! >= demand.maxSteps[i]! || !fits(set, used, capacity, i, 1)) continue;
      steps[i]!++;
      addUsage(set, used, i, 1);
      changed = true;
    }
  }
}
