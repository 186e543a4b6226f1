/**
 * Progressive filling (water-filling) of one priority class: every member rises at the same rate from its
 * minimum; a member stops at its own maximum, or when any constraint it is under fills up, which freezes every
 * member still rising under it. The result is max-min fair in amps per phase. Event-driven: O(k log m) for k
 * memberships and m constraints.
 */
import type { ConnectorDemand } from './connector-demand';
import type { ConstraintSet } from './constraint-set';
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

/** Scratch arrays for filling, allocated once per allocation round and reused by every class and refill. */
export class FillWorkspace {
  readonly base: Float64Array;
  readonly rate: Float64Array;
  readonly full: Uint8Array;
  readonly marked: Uint8Array;
  readonly state: Uint8Array;
  readonly level: Float64Array;
  readonly potential: Float64Array;
  readonly heap = new MinHeap();

  private static last: FillWorkspace | undefined;

  /** A workspace of this size: the last one when it fits (allocation rounds never overlap: no await inside). */
  static for(constraints: number, connectors: number): FillWorkspace {
    const last = FillWorkspace.last;
    if (last && last.base.length === constraints && last.state.length === connectors) return last;
    return (FillWorkspace.last = new FillWorkspace(constraints, connectors));
  }

  private constructor(constraints: number, connectors: number) {
    this.base = new Float64Array(constraints);
    this.potential = new Float64Array(constraints);
    this.rate = new Float64Array(constraints);
    this.full = new Uint8Array(constraints);
    this.marked = new Uint8Array(constraints);
    this.state = new Uint8Array(connectors);
    this.level = new Float64Array(connectors);
  }

  /** Clears what the previous fill left, keeping the memory. */
  reset(used: Float64Array, members: readonly number[]): void {
    this.base.set(used);
    this.rate.fill(0);
    this.full.fill(0);
    this.heap.clear();
    for (const i of members) this.state[i] = WAITING;
  }
}

export interface FillTarget {
  /** Whole steps per connector; members' entries are written. */
  readonly steps: Int32Array;
  /** Constraint that stopped each member, BOUND_BY_OWN_MAX or BOUND_BY_NONE. */
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
): void {
  ws.reset(used, members);
  const { base, rate, full, marked, state, level, heap, potential } = ws;
  const { minSteps, maxSteps } = demand;
  // What each limit would carry with every member at its maximum: a limit that holds even then never fills, so it
  // never enters the event queue (most chargers' own limits and many circuits, on a typical site).
  potential.set(used);
  for (const i of members) {
    const rise = maxSteps[i]! - minSteps[i]!;
    for (let j = set.start[i]!, end = set.start[i + 1]!; j < end; j++) potential[set.of[j]!]! += set.weight[j]! * rise;
  }
  const joins = sortByKey(members, minSteps);
  const caps = sortByKey(members, maxSteps);
  const fullAt = (c: number) => (capacity[c]! - base[c]!) / rate[c]!;

  const { start, of, weight, memberStart, members: under } = set;
  const stop = (i: number, at: number, bound: number) => {
    state[i] = STOPPED;
    level[i] = at;
    target.boundBy[i] = bound;
    for (let j = start[i]!, end = start[i + 1]!; j < end; j++) {
      const c = of[j]!;
      base[c]! += weight[j]! * at;
      rate[c]! -= weight[j]!;
    }
  };

  const touched: number[] = [];
  let current = 0;
  let jp = 0;
  let cp = 0;
  for (;;) {
    while (cp < caps.length && state[caps[cp]!] === STOPPED) cp++;
    const nextCap = cp < caps.length ? maxSteps[caps[cp]!]! : Infinity;
    const nextJoin = jp < joins.length ? minSteps[joins[jp]!]! : Infinity;
    const nextFull = peekFull(heap, full, rate, fullAt);
    if (nextCap === Infinity && nextJoin === Infinity && nextFull === Infinity) break;

    if (nextCap <= nextFull && nextCap <= nextJoin && state[caps[cp]!] === RISING) {
      current = Math.max(current, nextCap);
      stop(caps[cp++]!, nextCap, BOUND_BY_OWN_MAX);
    } else if (nextFull <= nextJoin) {
      const c = heap.peekItem();
      heap.pop();
      current = Math.max(current, nextFull);
      full[c] = 1;
      for (let k = memberStart[c]!, end = memberStart[c + 1]!; k < end; k++) {
        const i = under[k]!;
        if (state[i] === RISING) stop(i, current, c);
      }
    } else {
      current = Math.max(current, nextJoin);
      touched.length = 0;
      while (jp < joins.length && minSteps[joins[jp]!]! === nextJoin) join(joins[jp++]!);
      for (const c of touched) {
        marked[c] = 0;
        if (rate[c]! > 0 && potential[c]! > capacity[c]!) heap.push(fullAt(c), c);
      }
    }
  }

  function join(i: number): void {
    const lo = minSteps[i]!;
    const first = start[i]!;
    const end = start[i + 1]!;
    for (let j = first; j < end; j++) {
      if (full[of[j]!]) {
        state[i] = STOPPED;
        level[i] = lo;
        target.boundBy[i] = of[j]!;
        return;
      }
    }
    if (maxSteps[i]! <= lo) {
      state[i] = STOPPED;
      level[i] = lo;
      target.boundBy[i] = BOUND_BY_OWN_MAX;
      return;
    }
    state[i] = RISING;
    for (let j = first; j < end; j++) {
      const c = of[j]!;
      base[c]! -= weight[j]! * lo;
      rate[c]! += weight[j]!;
      if (!marked[c]) {
        marked[c] = 1;
        touched.push(c);
      }
    }
  }

  for (const i of members) {
    const lo = minSteps[i]!;
    const steps = Math.min(maxSteps[i]!, Math.max(lo, Math.floor(level[i]! - EPSILON)));
    target.steps[i] = steps;
    if (steps !== lo) {
      for (let j = start[i]!, end = start[i + 1]!; j < end; j++) used[of[j]!]! += weight[j]! * (steps - lo);
    }
  }
}

/**
 * The lowest level at which a constraint fills. Heap keys may be stale but never too high (members stopping
 * only raise a constraint's fill level), so a popped key is recomputed and pushed back when it rose.
 */
function peekFull(heap: MinHeap, full: Uint8Array, rate: Float64Array, fullAt: (c: number) => number): number {
  while (heap.length > 0) {
    const c = heap.peekItem();
    if (full[c] || rate[c]! <= 0) {
      heap.pop();
      continue;
    }
    const now = fullAt(c);
    if (now > heap.peekKey() + EPSILON) {
      heap.pop();
      heap.push(now, c);
      continue;
    }
    return now;
  }
  return Infinity;
}
