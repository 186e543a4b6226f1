/**
 * The raise gate holds raises back circuit phase by circuit phase, and what it holds on one grid phase can leave the
 * raises on the others beyond the phase-imbalance limit the allocation kept: a 1-phase car on L3 held under a full row
 * while 1-phase cars on L1 and L2 rose left 8 A between the phases against a limit of 6. Raises on a phase more than
 * the limit above the lightest are scaled down (on the step grid) until it holds again, or, where the allocation was
 * already wider (load we reserve), until the spread is no wider than the allocation's. When the raises are not enough
 * (a car held above its share by hysteresis on the heavy phase), cars above their minimum are cut, never below it: a
 * cut is always safe. Only cars we control that do not load the lightest phase give way: a 3-phase car loads every
 * phase alike, and lowering one that loads the lightest phase too would lower it as well.
 */
import type { ConnectorAllocation } from '../../shared/allocation/allocation-types';

const ROUNDS = 4;
const UNCONTROLLED: ReadonlySet<string> = new Set(['offline', 'unresponsive', 'unconfigured']);

export interface BalanceInput {
  /** The allocation the gate was given, in connector order. */
  readonly target: readonly ConnectorAllocation[];
  /** What each connector's raise starts from (what its charger enforces). */
  readonly base: Float64Array;
  /** The phase-imbalance limit (null: none). */
  readonly maxImbalanceAmps: number | null;
  readonly stepAmps: number;
  /** A car raised from 0 gets at least this or nothing. */
  readonly minAmps: (index: number) => number;
}

/** `amps` (what the gate lets through, per connector) with raises lowered where they widen the phase imbalance. */
export function balanceRaises(amps: Float64Array, input: BalanceInput): Float64Array {
  const { target, base, maxImbalanceAmps, stepAmps } = input;
  if (maxImbalanceAmps === null) return amps;
  const share = (i: number, p: number) => {
    const a = target[i]!;
    return a.amps > 0 ? a.phaseAmps[p as 0] / a.amps : 0;
  };
  const totals = (of: Float64Array) =>
    [0, 1, 2].map((p) => target.reduce((sum, _, i) => sum + of[i]! * share(i, p), 0));
  const spread = (t: readonly number[]) => Math.max(...t) - Math.min(...t);
  const allowed = Math.max(maxImbalanceAmps, spread(totals(Float64Array.from(target, (a) => a.amps))));
  const out = amps.slice();
  // Only the cars we control give way (what we reserve for the others is what they hold)
  const controlled = (i: number) => !UNCONTROLLED.has(target[i]!.reason) && out[i]! > 0;
  /** Lowers the cars on phase `p` that do not load `lightest` by `excess` between them, none below `floorOf`. */
  const giveWay = (p: number, lightest: number, excess: number, floorOf: (i: number) => number) => {
    const givers = target
      .map((_, i) => i)
      .filter((i) => controlled(i) && out[i]! > floorOf(i) + 1e-9 && share(i, p) > 0 && share(i, lightest) === 0);
    const room = givers.reduce((sum, i) => sum + (out[i]! - floorOf(i)) * share(i, p), 0);
    if (room <= 0) return;
    const keep = Math.max(0, 1 - excess / room);
    for (const i of givers) {
      const floor = floorOf(i);
      let next = floor + Math.floor(((out[i]! - floor) * keep) / stepAmps + 1e-9) * stepAmps;
      if (next < input.minAmps(i)) next = floor;
      out[i] = Math.round(next * 1e6) / 1e6;
    }
  };
  for (let round = 0; round < ROUNDS; round++) {
    if (spread(totals(out)) <= allowed + 1e-9) break;
    for (let p = 0; p < 3; p++) {
      // Each phase against the totals as the phases before it left them: a car that gave way on L1 may load L3 too.
      // Raises give way first; then cars above their minimum are cut (a held fall, say), never below it.
      for (const floorOf of [(i: number) => base[i]!, (i: number) => input.minAmps(i)]) {
        const t = totals(out);
        const lightest = t.indexOf(Math.min(...t));
        const excess = t[p]! - (t[lightest]! + allowed);
        if (excess > 1e-9) giveWay(p, lightest, excess, floorOf);
      }
    }
  }
  return out;
}
