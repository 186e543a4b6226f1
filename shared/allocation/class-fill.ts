/** Fills priority classes from the highest down: each class rises while lower classes keep their minimum. */
import type { ConnectorDemand } from './connector-demand';
import { addUsage, ALL_PHASES, type ConstraintSet } from './constraint-set';
import { topUp } from './top-up';
import { BOUND_BY_NONE } from './fill-run';
import type { FillWorkspace } from './fill-workspace';
import { f64, i32 } from './typed-access';
import { waterFill } from './water-fill';

export interface FillResult {
  readonly steps: Int32Array;
  readonly boundBy: Int32Array;
  /** Each member's level before rounding down to whole steps. */
  readonly levels: Float64Array;
  readonly used: Float64Array;
}

/** A fill again after some capacities were lowered: the earlier fill, and the constraints whose capacity fell. */
export interface Refill {
  readonly previous: FillResult;
  readonly lowered: readonly number[];
}

/** Active candidates grouped by class, highest class first. */
export function classGroups(demand: ConnectorDemand, active: Uint8Array): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < demand.n; i++) {
    if (!active[i]) continue;
    const k = i32(demand.klass, i);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push(i);
  }
  return [...groups.entries()].sort((a, b) => b[0] - a[0]).map(([, members]) => members);
}

/**
 * Water-fills each class in turn, starting from `usedAtMinimum` (reserved load plus every active car at its minimum).
 * A refill takes each class over from the earlier fill for as long as the lowered capacities change nothing: a
 * class they never bind is copied, and the first class they bind is filled on from the level where they first do.
 */
export function fillClasses(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  usedAtMinimum: Float64Array,
  groups: readonly number[][],
  refill?: Refill,
): FillResult {
  const steps = new Int32Array(demand.n);
  const boundBy = new Int32Array(demand.n).fill(BOUND_BY_NONE);
  const levels = new Float64Array(demand.n);
  const used = usedAtMinimum.slice();
  const target = { steps, boundBy, levels };
  // Every class so far came out exactly as in the earlier fill, so this one starts from the same usage.
  let unchanged = refill !== undefined;
  const lowered = refill ? refill.lowered.map((c) => loweredLimit(set, c)) : [];
  for (const members of groups) {
    const previous = unchanged ? refill?.previous : undefined;
    const from = previous
      ? divergence(demand, capacity, used, i32(demand.klass, members[0]!), lowered, previous)
      : -Infinity;
    if (previous && from === Infinity) {
      for (const i of members) {
        const taken = i32(previous.steps, i);
        steps[i] = taken;
        boundBy[i] = i32(previous.boundBy, i);
        levels[i] = f64(previous.levels, i);
        addUsage(set, used, i, taken - i32(demand.minSteps, i));
      }
      continue;
    }
    unchanged = false;
    const resume =
      previous && from > 0 ? { level: from, levels: previous.levels, boundBy: previous.boundBy } : undefined;
    waterFill(ws, demand, set, capacity, used, members, target, resume);
    topUp(demand, set, capacity, used, members, target);
  }
  return { steps, boundBy, levels, used };
}

/**
 * The level at which the fill of class `klass` would first differ from the earlier one, found by replaying the
 * earlier fill's load on each lowered constraint: Infinity when the lowered capacities hold even after its top-up.
 */
function divergence(
  demand: ConnectorDemand,
  capacity: Float64Array,
  used: Float64Array,
  klass: number,
  lowered: readonly LoweredLimit[],
  previous: FillResult,
): number {
  const { levels, steps } = previous;
  const { minSteps } = demand;
  let first = Infinity;
  for (const { c, under } of lowered) {
    // The class's members under c (the earlier fill gave every active car at least its minimum), with their weights.
    const mine: { readonly i: number; readonly weight: number; readonly level: number; readonly min: number }[] = [];
    for (const { i, weight } of under.members) {
      if (demand.klass[i] !== klass || steps[i] === 0) continue;
      mine.push({ i, weight, level: f64(levels, i), min: i32(minSteps, i) });
    }
    // The earlier load on c at the end of its water fill (unrounded), and after rounding and top-up.
    const usedBefore = f64(used, c);
    const cap = f64(capacity, c);
    let filled = usedBefore;
    let final = usedBefore;
    let highest = 0;
    for (const { i, weight, level, min } of mine) {
      filled += weight * (level - min);
      final += weight * (i32(steps, i) - min);
      highest = Math.max(highest, level);
    }
    if (filled <= cap && final <= cap) continue;
    // The earlier load on c rose with slope w from each member's minimum to its level: find where it reached
    // capacity, from below (a resume too early is only slower, never wrong).
    const loadAt = (t: number) => {
      let load = usedBefore;
      for (const { weight, level, min } of mine) load += weight * Math.max(0, Math.min(level, t) - min);
      return load;
    };
    let below = 0;
    let above = highest;
    if (loadAt(below) >= cap || loadAt(above) < cap) {
      // Over from the start, or only the top-up took it over: fill from scratch rather than replay rounding.
      first = -Infinity;
      continue;
    }
    while (above - below > 1e-9 * Math.max(1, above)) {
      const middle = (below + above) / 2;
      if (loadAt(middle) >= cap) above = middle;
      else below = middle;
    }
    first = Math.min(first, below);
  }
  return first;
}

/** A lowered constraint and the candidates under it, with the weight of their entry. */
interface LoweredLimit {
  readonly c: number;
  readonly under: { readonly members: readonly { readonly i: number; readonly weight: number }[] };
}

/** Candidates under constraint c, with the weight of their entry. */
function loweredLimit(set: ConstraintSet, c: number): LoweredLimit {
  const members: { i: number; weight: number }[] = [];
  const g = Math.floor(c / 3);
  const p = c % 3;
  const take = (i: number) => {
    for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
      if (set.group[j] !== g || (set.phase[j] !== ALL_PHASES && set.phase[j] !== p)) continue;
      members.push({ i, weight: i32(set.weight, j) });
    }
  };
  for (let k = i32(set.allStart, g), end = i32(set.allStart, g + 1); k < end; k++) take(i32(set.allMembers, k));
  for (let k = i32(set.phaseStart, c), end = i32(set.phaseStart, c + 1); k < end; k++) take(i32(set.phaseMembers, k));
  return { c, under: { members } };
}
