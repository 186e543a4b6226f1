/** Hands out the steps that rounding down left free, so no budget stays unused while a car could take more. */
import { VIP_CLASS, type ConnectorDemand } from './connector-demand';
import { addUsage, fits, type ConstraintSet } from './constraint-set';

/** Gives one more step at a time to active cars below their maximum, highest class and lowest allocation first. */
export function topUp(demand: ConnectorDemand, set: ConstraintSet, capacity: Float64Array, used: Float64Array, active: Uint8Array, steps: Int32Array): void {
  const order: number[] = [];
  for (let i = 0; i < demand.n; i++) if (active[i] && steps[i]! < demand.maxSteps[i]!) order.push(i);
  if (order.length === 0) return;
  const packed = new Float64Array(order.length);
  order.forEach((i, k) => (packed[k] = (VIP_CLASS - demand.klass[i]!) * 2 ** 35 + steps[i]! * 2 ** 21 + i));
  packed.sort();
  const sorted = new Int32Array(packed.length);
  for (let k = 0; k < packed.length; k++) sorted[k] = packed[k]! % 2 ** 21;
  let changed = true;
  while (changed) {
    changed = false;
    for (const i of sorted) {
      if (steps[i]! >= demand.maxSteps[i]! || !fits(set, used, capacity, i, 1)) continue;
      steps[i]!++;
      addUsage(set, used, i, 1);
      changed = true;
    }
  }
}
