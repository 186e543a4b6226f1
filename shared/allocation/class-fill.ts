/** Fills priority classes from the highest down: each class rises while lower classes keep their minimum. */
import type { ConnectorDemand } from './connector-demand';
import type { ConstraintSet } from './constraint-set';
import { topUp } from './top-up';
import { BOUND_BY_NONE, waterFill, type FillWorkspace } from './water-fill';

export interface FillResult {
  readonly steps: Int32Array;
  readonly boundBy: Int32Array;
  readonly used: Float64Array;
}

/** Active candidates grouped by class, highest class first. */
export function classGroups(demand: ConnectorDemand, active: Uint8Array): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < demand.n; i++) {
    if (!active[i]) continue;
    const k = demand.klass[i]!;
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push(i);
  }
  return [...groups.entries()].sort((a, b) => b[0] - a[0]).map(([, members]) => members);
}

/** Water-fills each class in turn, starting from `usedAtMinimum` (reserved load plus every active car at its minimum). */
export function fillClasses(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  usedAtMinimum: Float64Array,
  groups: readonly number[][],
): FillResult {
  const steps = new Int32Array(demand.n);
  const boundBy = new Int32Array(demand.n).fill(BOUND_BY_NONE);
  const used = usedAtMinimum.slice();
  for (const members of groups) {
    waterFill(ws, demand, set, capacity, used, members, { steps, boundBy });
    topUp(demand, set, capacity, used, members, steps);
  }
  return { steps, boundBy, used };
}
