/**
 * Cars that waited for want of room may find it at the end of a round: a trade between cars of a class (see
 * `lightest-phase-trade.ts`) can lower a car's load on a phase the trade's other car does not use.
 */
import type { ConnectorDemand } from './connector-demand';
import { Role } from './connector-demand';
import { addUsage, fits, type ConstraintSet } from './constraint-set';
import type { PauseReason } from './pause-selection';
import { f64, i32 } from './typed-access';

/** Admits, at their minimum and highest rank first, the cars paused for room whose minimum fits every limit now. */
export function admitLate(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  steps: Int32Array,
  pauseReason: (PauseReason | undefined)[],
): void {
  const waiting: number[] = [];
  for (let i = 0; i < demand.n; i++) {
    const reason = pauseReason[i];
    if (
      demand.role[i] === Role.Candidate &&
      !active[i] &&
      (reason === 'pausedNoBudget' || reason === 'imbalanceLimited')
    )
      waiting.push(i);
  }
  waiting.sort(
    (a, b) => i32(demand.klass, b) - i32(demand.klass, a) || f64(demand.energyWh, a) - f64(demand.energyWh, b) || a - b,
  );
  for (const i of waiting) {
    // The imbalance caps stand at the lightest phase plus the limit: fitting them keeps the imbalance limit.
    if (!fits(set, used, capacity, i, i32(demand.minSteps, i))) continue;
    active[i] = 1;
    steps[i] = i32(demand.minSteps, i);
    pauseReason[i] = undefined;
    addUsage(set, used, i, i32(demand.minSteps, i));
  }
}
