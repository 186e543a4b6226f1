/** Keeps a car at its previous limit when the change is smaller than the hysteresis step and the limits allow it. */
import type { Policy } from '../policy/policy-schema';
import { stepsDown, stepsUp, type ConnectorDemand } from './connector-demand';
import { PrevActivity } from './previous-round';
import { addUsage, ALL_PHASES, fits, type ConstraintSet } from './constraint-set';
import { phaseTotals } from './phase-balance';
import { BOUND_BY_OWN_MAX } from './fill-run';
import { f64, i32, u8 } from './typed-access';

/** Hysteresis leaves unused at most this share of a limit (and at least a step may stay unused). */
const STRANDED_SHARE = 0.01;
/**
 * A raise the control loop held back (`PreviousRound.raiseHeld`) is finished, however small the rest, while its last
 * step is this recent: by then the samples it asks for have shown the raised cars' draw (1.5, 5 and 6.5 s after a
 * change), so the room is there or not. Later the rest is left, as any small change.
 */
const RAISE_FINISH_MS = 10_000;

/**
 * Small rises are dropped first (it frees current), then small falls are held where every limit still has room for
 * the previous value. Hysteresis never moves a whole step from a lower car to a higher one: a fall is held only when
 * the previous value is less than a step above the new share of every car under the same limit whose rise was
 * dropped, and the rises dropped under that limit are then made after all where they fit (8.0/7.0 rather than
 * 8.5/6.5 kept); only the limit that bound a riser's fill counts. Less than that is the step's own tolerance, which
 * keeps limits still when an estimate moves a little. Nor may either widen the phase imbalance beyond its limit, nor
 * strand more than a step (or `STRANDED_SHARE` of the limit) unused. A rise that finishes a raise the control loop
 * held back is never dropped (`RAISE_FINISH_MS`). Returns 1 for each connector held at its previous value.
 */
export function applyHysteresis(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  steps: Int32Array,
  boundBy: Int32Array,
  policy: Policy,
  now: number,
): Uint8Array {
  const held = new Uint8Array(demand.n);
  const band = stepsUp(policy.hysteresis.stepAmps, policy.granularityAmps);
  if (band <= 1) return held;
  // Built on first use, from the steps as they are then: most rounds hold few cars, or none.
  let guard: ImbalanceGuard | undefined | null = null;
  const imbalance = () => (guard === null ? (guard = imbalanceGuard(demand, active, steps, policy)) : guard);
  const falls: Array<[number, number]> = [];
  // Cars whose small rise was dropped, and by how much (parallel arrays: no tuple per car on large sites).
  const risers: number[] = [];
  const riseBy: number[] = [];
  // Per constraint, the lowest new share of a car under it whose rise was dropped.
  let lowestDropped: Float64Array | undefined;
  for (let i = 0; i < demand.n; i++) {
    if (!active[i] || demand.previous.activity[i] !== PrevActivity.Active) continue;
    const prevSteps = Math.round(f64(demand.previous.amps, i) / policy.granularityAmps);
    const delta = i32(steps, i) - prevSteps;
    if (
      delta === 0 ||
      Math.abs(delta) >= band ||
      prevSteps < i32(demand.minSteps, i) ||
      prevSteps > i32(demand.maxSteps, i)
    )
      continue;
    if (delta > 0) {
      if (finishing(demand, i, now) || imbalance()?.tryMove(i, -delta) === false) continue;
      lowestDropped ??= new Float64Array(capacity.length).fill(Infinity);
      lowerTo(set, i, i32(boundBy, i), lowestDropped, i32(steps, i));
      addUsage(set, used, i, -delta);
      steps[i] = prevSteps;
      held[i] = 1;
      risers.push(i);
      riseBy.push(delta);
    } else {
      falls.push([i, -delta]);
    }
  }
  // Constraints on which a fall was not held because it would have kept more than a lower car's new share.
  let refused: Uint8Array | undefined;
  for (const [i, rise] of falls) {
    const prevSteps = i32(steps, i) + rise;
    if (lowestDropped && someConstraint(set, i, (c) => prevSteps >= f64(lowestDropped, c) + band)) {
      refused ??= new Uint8Array(capacity.length);
      const refusedHere = refused;
      forEachConstraint(set, i, (c) => (refusedHere[c] = 1));
      continue;
    }
    if (!fits(set, used, capacity, i, rise) || imbalance()?.tryMove(i, rise) === false) continue;
    addUsage(set, used, i, rise);
    steps[i] = prevSteps;
    held[i] = 1;
  }
  // The room such a fall frees goes to the cars whose rise was dropped under the same limit, as the fill shared it.
  for (let k = 0; refused && k < risers.length; k++) {
    const i = risers[k]!;
    const rise = riseBy[k]!;
    if (
      !someConstraint(set, i, (c) => refused[c] === 1) ||
      !fits(set, used, capacity, i, rise) ||
      imbalance()?.tryMove(i, rise) === false
    )
      continue;
    addUsage(set, used, i, rise);
    steps[i] = i32(steps, i) + rise;
    held[i] = 0;
  }
  // Rises dropped under a limit that together leave more than a whole step of it unused (or 1 % of it, if more) are
  // made after all, the largest first, until less than that is left: hysteresis keeps limits still for an estimate's
  // tenths, but never strands a fuse or the budget (eight cars each held half an ampere below their share left 2 A of
  // every phase unused for as long as the load held; two cars held 0.5 A below theirs leave one step, the step's
  // tolerance). Only as many cars change as that takes.
  const largestFirst = risers.map((i, k) => ({ i, rise: riseBy[k] ?? 0 })).sort((a, b) => b.rise - a.rise);
  for (const { i, rise } of largestFirst) {
    const bound = i32(boundBy, i);
    if (held[i] === 0 || bound < 0) continue;
    const tolerance = Math.max(band, STRANDED_SHARE * f64(capacity, bound));
    if (f64(capacity, bound) - f64(used, bound) < tolerance + 1 - 1e-9) continue;
    if (!fits(set, used, capacity, i, rise) || imbalance()?.tryMove(i, rise) === false) continue;
    addUsage(set, used, i, rise);
    steps[i] = i32(steps, i) + rise;
    held[i] = 0;
  }
  holdUnusedFalls(demand, set, capacity, used, active, steps, held, imbalance, policy.granularityAmps);
  return held;
}

/** True when connector i's previous limit was a raise held back short of its share, a few seconds ago. */
const finishing = (demand: ConnectorDemand, i: number, now: number): boolean =>
  demand.previous.raiseHeld[i] === 1 && now - f64(demand.previous.changedAt, i) < RAISE_FINISH_MS;

/**
 * A fall is worth a profile only when another car takes the room it frees. Once every other decision is made, a car
 * whose previous limit still fits keeps it, whatever the size of its fall, lowest new share first: the room went to
 * nobody (every rise it would have paid for was under the hysteresis step), so sending the fall would change a limit
 * and nothing the site draws. A later round whose rises need the room finds the held limit in their way and sends the
 * fall then. So a car capped by its own draw keeps its limit above the cap (within its charger's maximum), and a
 * 1-phase car on a phase the 3-phase cars' small rises would have filled is not cut 2 A for rises that were dropped.
 */
function holdUnusedFalls(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  steps: Int32Array,
  held: Uint8Array,
  imbalance: () => ImbalanceGuard | undefined,
  stepAmps: number,
): void {
  const fallers: number[] = [];
  for (let i = 0; i < demand.n; i++) {
    if (!active[i] || held[i] || demand.previous.activity[i] !== PrevActivity.Active) continue;
    const prevSteps = Math.round(f64(demand.previous.amps, i) / stepAmps);
    const most = demand.cappedByCar[i] ? i32(demand.chargerMaxSteps, i) : i32(demand.maxSteps, i);
    if (prevSteps > i32(steps, i) && prevSteps <= most) fallers.push(i);
  }
  fallers.sort((a, b) => i32(steps, a) - i32(steps, b) || a - b);
  for (const i of fallers) {
    const fall = Math.round(f64(demand.previous.amps, i) / stepAmps) - i32(steps, i);
    if (!fits(set, used, capacity, i, fall) || imbalance()?.tryMove(i, fall) === false) continue;
    addUsage(set, used, i, fall);
    steps[i] = i32(steps, i) + fall;
    held[i] = 1;
  }
}

/**
 * Lowers `lowest` to `value` on the constraint that stopped connector i's fill (`bound`), where a held fall would take
 * its room; on every constraint it is under when that is not known, and on none when its own maximum stopped it. A car
 * bound elsewhere does not share a level with the cars under this limit: a 1-phase car on the phase the 3-phase cars'
 * binding phase leaves free sits higher by right, and refusing to hold its small fall for them sent every car's rest.
 */
function lowerTo(set: ConstraintSet, i: number, bound: number, lowest: Float64Array, value: number): void {
  if (bound === BOUND_BY_OWN_MAX) return;
  if (bound >= 0) {
    if (value < f64(lowest, bound)) lowest[bound] = value;
    return;
  }
  for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
    const c = i32(set.group, j) * 3;
    const p = u8(set.phase, j);
    if (p !== ALL_PHASES) {
      if (value < f64(lowest, c + p)) lowest[c + p] = value;
      continue;
    }
    for (let q = c; q < c + 3; q++) if (value < f64(lowest, q)) lowest[q] = value;
  }
}

/** Calls `visit` with every constraint connector i is under. */
function forEachConstraint(set: ConstraintSet, i: number, visit: (c: number) => void): void {
  for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
    const c = i32(set.group, j) * 3;
    const p = u8(set.phase, j);
    if (p === ALL_PHASES) {
      visit(c);
      visit(c + 1);
      visit(c + 2);
    } else {
      visit(c + p);
    }
  }
}

/** True when `test` holds for any constraint connector i is under. */
function someConstraint(set: ConstraintSet, i: number, test: (c: number) => boolean): boolean {
  for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
    const c = i32(set.group, j) * 3;
    const p = u8(set.phase, j);
    if (p === ALL_PHASES ? test(c) || test(c + 1) || test(c + 2) : test(c + p)) return true;
  }
  return false;
}

/**
 * The 1- and 2-phase load per grid phase, kept up to date as cars are held: a move is made only when the spread
 * stays within the limit, or (when it was already wider, e.g. from reserved load) does not grow.
 */
interface ImbalanceGuard {
  /** Shifts car i by `amount` steps in the phase totals when the imbalance allows it; false (and nothing shifted) when not. */
  tryMove(i: number, amount: number): boolean;
}

function imbalanceGuard(
  demand: ConnectorDemand,
  active: Uint8Array,
  steps: Int32Array,
  policy: Policy,
): ImbalanceGuard | undefined {
  const maxAmps = policy.phaseImbalance.maxAmps;
  if (maxAmps === null) return undefined;
  const allowed = stepsDown(maxAmps, policy.granularityAmps);
  const totals = phaseTotals(demand, active, steps);
  const spread = () => Math.max(totals[0], totals[1], totals[2]) - Math.min(totals[0], totals[1], totals[2]);
  const shift = (mask: number, amount: number) => {
    if (mask & 1) totals[0] += amount;
    if (mask & 2) totals[1] += amount;
    if (mask & 4) totals[2] += amount;
  };
  return {
    tryMove(i: number, amount: number): boolean {
      if (demand.phaseCount[i] === 3) return true;
      const before = spread();
      shift(u8(demand.phaseMask, i), amount);
      if (spread() <= Math.max(allowed, before)) return true;
      shift(u8(demand.phaseMask, i), -amount);
      return false;
    },
  };
}
