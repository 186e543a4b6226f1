/**
 * Progressive filling (water-filling) of one priority class: every member rises at the same rate from its
 * minimum; a member stops at its own maximum, or when any constraint it is under fills up, which freezes every
 * member still rising under it. The result is max-min fair in amps per phase. Event-driven: O(k log m) for k
 * entries and m constraint groups.
 */
import type { ConnectorDemand } from './connector-demand';
import { addUsage, ALL_PHASES, type ConstraintSet } from './constraint-set';
import { sortByKey } from './counting-sort';
import { MinHeap } from './min-heap';

/** `boundBy` value of a member stopped by its own maximum. */
export const BOUND_BY_OWN_MAX = -1;
/** `boundBy` value of a member that never rose. */
export const BOUND_BY_NONE = -2;

const WAITING = 0;
const RISING = 1;
const STOPPED = 2;

/** Tolerance for float error in levels; results are rounded down to whole steps afterwards. */
const EPSILON = 1e-6;

/**
 * Scratch arrays for filling, allocated once per allocation round and reused by every class and refill.
 * At water level t, constraint c of group g carries `base[c] + baseAll[g] + t * (rate[c] + rateAll[g])`: what
 * three-phase members add is kept once per group, what one- and two-phase members add per constraint.
 */
export class FillWorkspace {
  readonly base: Float64Array;
  readonly rate: Float64Array;
  readonly potential: Float64Array;
  readonly full: Uint8Array;
  readonly baseAll: Float64Array;
  readonly rateAll: Float64Array;
  readonly potentialAll: Float64Array;
  readonly marked: Uint8Array;
  readonly state: Uint8Array;
  readonly level: Float64Array;
  readonly heap = new MinHeap();
  /** The level at which each full constraint filled. */
  readonly filledAt: Float64Array;
  /** Usage at the end of the last fill, before any top-up. */
  readonly usedAfter: Float64Array;
  /** Members and levels array of the last fill: a resume of that same fill can reopen its end state. */
  lastMembers: readonly number[] | undefined;
  lastLevels: Float64Array | undefined;

  constructor(constraints: number, connectors: number) {
    const groups = constraints / 3;
    this.base = new Float64Array(constraints);
    this.rate = new Float64Array(constraints);
    this.potential = new Float64Array(constraints);
    this.full = new Uint8Array(constraints);
    this.baseAll = new Float64Array(groups);
    this.rateAll = new Float64Array(groups);
    this.potentialAll = new Float64Array(groups);
    this.marked = new Uint8Array(groups);
    this.state = new Uint8Array(connectors);
    this.level = new Float64Array(connectors);
    this.filledAt = new Float64Array(constraints);
    this.usedAfter = new Float64Array(constraints);
  }

  /** True when this workspace is the size a round of `constraints` and `connectors` needs. */
  fits(constraints: number, connectors: number): boolean {
    return this.base.length === constraints && this.state.length === connectors;
  }

  /** Clears what the previous fill left, keeping the memory. */
  reset(used: Float64Array, members: readonly number[]): void {
    this.base.set(used);
    this.rate.fill(0);
    this.full.fill(0);
    this.baseAll.fill(0);
    this.rateAll.fill(0);
    this.heap.clear();
    for (const i of members) this.state[i] = WAITING;
  }
}

export interface FillTarget {
  /** Whole steps per connector; members' entries are written. */
  readonly steps: Int32Array;
  /** Constraint that stopped each member, BOUND_BY_OWN_MAX or BOUND_BY_NONE. */
  readonly boundBy: Int32Array;
  /** The level each member stopped at, before rounding down to whole steps. */
  readonly levels: Float64Array;
}

/**
 * An earlier fill of the same members from the same start, whose limits only differed in ways that first matter
 * at `level`: up to there the fills are the same, so this one picks up at `level` instead of the beginning.
 */
export interface FillResume {
  readonly level: number;
  readonly levels: Float64Array;
  readonly boundBy: Int32Array;
}

/**
 * Raises `members` from their minimum as far as `capacity` allows. `used` must already hold every constraint's
 * usage with all members at their minimum; it is updated with the members' final steps.
 */
export function waterFill(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  members: readonly number[],
  target: FillTarget,
  resume?: FillResume,
): void {
  // Resuming the workspace's own last fill: its end state is still there, so only what happened at or above the
  // resume level is undone, rather than everything below it rebuilt.
  const reopen = resume !== undefined && ws.lastMembers === members && ws.lastLevels === resume.levels;
  if (reopen) ws.heap.clear();
  else ws.reset(used, members);
  const { base, rate, potential, full, baseAll, rateAll, potentialAll, marked, state, level, heap, filledAt } = ws;
  const { minSteps, maxSteps } = demand;
  const { start, group, phase, weight, allStart, allMembers, phaseStart, phaseMembers } = set;
  // What each limit would carry with every member at its maximum: a limit that holds even then never fills, so it
  // never enters the event queue (most chargers' own limits and many circuits, on a typical site). A resumed fill
  // has few members left rising and skips this.
  potentialAll.fill(0);
  if (resume) {
    potential.fill(Infinity);
  } else {
    potential.set(used);
    for (const i of members) {
      const rise = maxSteps[i]! - minSteps[i]!;
      for (let j = start[i]!, end = start[i + 1]!; j < end; j++) {
        const p = phase[j]!;
        if (p === ALL_PHASES) potentialAll[group[j]!]! += weight[j]! * rise;
        else potential[group[j]! * 3 + p]! += weight[j]! * rise;
      }
    }
  }
  const joins = sortByKey(members, minSteps);
  const caps = sortByKey(members, maxSteps);

  // The level at which group g's next phase fills (Infinity when none can); that phase is left in `fillingPhase`.
  let fillingPhase = 0;
  const groupFullAt = (g: number): number => {
    let lowest = Infinity;
    for (let p = 0, c = g * 3; p < 3; p++, c++) {
      const r = rate[c]! + rateAll[g]!;
      if (full[c] || r <= 0 || potential[c]! + potentialAll[g]! <= capacity[c]!) continue;
      const at = (capacity[c]! - base[c]! - baseAll[g]!) / r;
      if (at < lowest) {
        lowest = at;
        fillingPhase = p;
      }
    }
    return lowest;
  };
  // Heap keys may be stale but never too high (members stopping only raise a group's fill level), so a popped
  // key is recomputed and pushed back when it rose.
  const nextFull = (): number => {
    while (heap.length > 0) {
      const g = heap.peekItem();
      const at = groupFullAt(g);
      if (at === Infinity) {
        heap.pop();
      } else if (at > heap.peekKey() + EPSILON) {
        heap.pop();
        heap.push(at, g);
      } else {
        return at;
      }
    }
    return Infinity;
  };
  // Adds `levels` times its weight to the base, and `rises` times its weight to the rate, of every constraint i is under.
  const move = (i: number, levels: number, rises: number) => {
    for (let j = start[i]!, end = start[i + 1]!; j < end; j++) {
      const g = group[j]!;
      const p = phase[j]!;
      if (p === ALL_PHASES) {
        baseAll[g]! += weight[j]! * levels;
        rateAll[g]! += weight[j]! * rises;
      } else {
        base[g * 3 + p]! += weight[j]! * levels;
        rate[g * 3 + p]! += weight[j]! * rises;
      }
    }
  };
  const touched: number[] = [];
  let anyFull = false;
  const stop = (i: number, at: number, bound: number) => {
    state[i] = STOPPED;
    level[i] = at;
    target.boundBy[i] = bound;
    move(i, at, -1);
  };
  // A member rises from `from`: its minimum when it joins, or its old level when a reopened fill takes it back.
  const rise = (i: number, from: number) => {
    state[i] = RISING;
    move(i, -from, 1);
    for (let j = start[i]!, end = start[i + 1]!; j < end; j++) {
      const g = group[j]!;
      if (!marked[g]) {
        marked[g] = 1;
        touched.push(g);
      }
    }
  };
  // Puts the groups whose rate rose into the event queue, at the level they now fill.
  const queueTouched = () => {
    for (const g of touched) {
      marked[g] = 0;
      const at = groupFullAt(g);
      if (at !== Infinity) heap.push(at, g);
    }
    touched.length = 0;
  };
  // A member joins at its minimum: it stops there at once when a limit it is under is already full.
  const join = (i: number) => {
    const lo = minSteps[i]!;
    const bound = anyFull ? fullConstraintOf(set, full, i) : -1;
    if (bound >= 0 || maxSteps[i]! <= lo) {
      state[i] = STOPPED;
      level[i] = lo;
      target.boundBy[i] = bound >= 0 ? bound : BOUND_BY_OWN_MAX;
    } else {
      rise(i, lo);
    }
  };

  let current = 0;
  let jp = 0;
  let cp = 0;
  // Members that rise again (or wait again) in a reopened fill: only their usage changes.
  const reopened: number[] = [];
  if (resume) {
    // Members stopped below the resume level stop as they did; the others have risen to it.
    current = resume.level;
    if (reopen) {
      anyFull = false;
      for (let c = 0; c < full.length; c++) {
        if (full[c] && filledAt[c]! >= current - EPSILON) full[c] = 0;
        anyFull ||= full[c] === 1;
      }
    }
    for (; jp < joins.length && minSteps[joins[jp]!]! <= current; jp++) {
      const i = joins[jp]!;
      const at = resume.levels[i]!;
      if (at >= current - EPSILON) {
        rise(i, reopen ? at : minSteps[i]!);
        reopened.push(i);
        continue;
      }
      target.boundBy[i] = resume.boundBy[i]!;
      if (reopen) continue;
      state[i] = STOPPED;
      level[i] = at;
      move(i, at - minSteps[i]!, 0);
      const bound = resume.boundBy[i]!;
      if (bound >= 0) {
        full[bound] = 1;
        filledAt[bound] = at;
        anyFull = true;
      }
    }
    for (let k = jp; reopen && k < joins.length; k++) {
      const i = joins[k]!;
      move(i, minSteps[i]! - resume.levels[i]!, 0);
      state[i] = WAITING;
      reopened.push(i);
    }
    queueTouched();
  }
  for (;;) {
    while (cp < caps.length && state[caps[cp]!] === STOPPED) cp++;
    const nextCap = cp < caps.length ? maxSteps[caps[cp]!]! : Infinity;
    const nextJoin = jp < joins.length ? minSteps[joins[jp]!]! : Infinity;
    const fullLevel = nextFull();
    if (nextCap === Infinity && nextJoin === Infinity && fullLevel === Infinity) break;

    if (nextCap <= fullLevel && nextCap <= nextJoin && state[caps[cp]!] === RISING) {
      current = Math.max(current, nextCap);
      stop(caps[cp++]!, nextCap, BOUND_BY_OWN_MAX);
    } else if (fullLevel <= nextJoin) {
      const g = heap.peekItem();
      const c = g * 3 + fillingPhase;
      heap.pop();
      current = Math.max(current, fullLevel);
      full[c] = 1;
      filledAt[c] = current;
      anyFull = true;
      for (let k = allStart[g]!, end = allStart[g + 1]!; k < end; k++) {
        const i = allMembers[k]!;
        if (state[i] === RISING) stop(i, current, c);
      }
      for (let k = phaseStart[c]!, end = phaseStart[c + 1]!; k < end; k++) {
        const i = phaseMembers[k]!;
        if (state[i] === RISING) stop(i, current, c);
      }
      const again = groupFullAt(g);
      if (again !== Infinity) heap.push(again, g);
    } else {
      current = Math.max(current, nextJoin);
      while (jp < joins.length && minSteps[joins[jp]!]! === nextJoin) join(joins[jp++]!);
      queueTouched();
    }
  }

  const stepsOf = (i: number, at: number, bound: number) =>
    // A member stopped at its own maximum stopped at exactly that whole step: the others are rounded down.
    bound === BOUND_BY_OWN_MAX ? maxSteps[i]! : Math.min(maxSteps[i]!, Math.max(minSteps[i]!, Math.floor(at - EPSILON)));
  for (const i of members) {
    target.steps[i] = stepsOf(i, level[i]!, target.boundBy[i]!);
    target.levels[i] = level[i]!;
  }
  if (reopen) {
    // The last fill's usage, changed only by the members that rose again.
    used.set(ws.usedAfter);
    for (const i of reopened) addUsage(set, used, i, target.steps[i]! - stepsOf(i, resume.levels[i]!, resume.boundBy[i]!));
  } else {
    for (const i of members) if (target.steps[i] !== minSteps[i]) addUsage(set, used, i, target.steps[i]! - minSteps[i]!);
  }
  ws.usedAfter.set(used);
  ws.lastMembers = members;
  ws.lastLevels = target.levels;
}

/** The first full constraint connector i is under, or -1. */
function fullConstraintOf(set: ConstraintSet, full: Uint8Array, i: number): number {
  for (let j = set.start[i]!, end = set.start[i + 1]!; j < end; j++) {
    const c = set.group[j]! * 3;
    const p = set.phase[j]!;
    if (p !== ALL_PHASES) {
      if (full[c + p]) return c + p;
    } else if (full[c] || full[c + 1] || full[c + 2]) {
      return full[c] ? c : full[c + 1] ? c + 1 : c + 2;
    }
  }
  return -1;
}
