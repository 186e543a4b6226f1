/**
 * One water-fill in progress, as a sequence of events on the rising water level: a member reaches its own maximum,
 * a constraint fills up (freezing every member still rising under it), or waiting members join at their minimum.
 * Each event is a method, so `waterFill` reads as the fill's steps.
 */
import type { ConnectorDemand } from './connector-demand';
import { ALL_PHASES, firstFullConstraint, type ConstraintSet } from './constraint-set';
import { sortByKey } from './counting-sort';
import { RISING, STOPPED, WAITING, type FillWorkspace } from './fill-workspace';
import type { MinHeap } from './min-heap';
import { addAt, f64, i32, u8 } from './typed-access';

/** `boundBy` value of a member stopped by its own maximum. */
export const BOUND_BY_OWN_MAX = -1;
/** `boundBy` value of a member that never rose. */
export const BOUND_BY_NONE = -2;

/** Tolerance for float error in levels; results are rounded down to whole steps afterwards. */
export const FILL_EPSILON = 1e-6;

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

/** The state of one fill between its events; `resumeAt` (optionally) then `run`. */
export class FillRun {
  /** The water level reached. */
  private current = 0;
  /** Next member to join (in `joins`) and next to reach its maximum (in `caps`). */
  private nextJoiner = 0;
  private nextCapped = 0;
  private readonly joins: Int32Array;
  private readonly caps: Int32Array;
  /** Whether any constraint is full: until one is, a joining member cannot be stopped by one. */
  private anyFull = false;
  /** The phase of the group `groupFullAt` looked at last that fills first. */
  private fillingPhase = 0;
  /** Groups whose rate rose since they were last queued (flagged in `marked`). */
  private readonly touched: number[] = [];
  // The workspace's arrays, held directly: the event loop reads them millions of times at 10,000 connectors.
  private readonly base: Float64Array;
  private readonly rate: Float64Array;
  private readonly potential: Float64Array;
  private readonly full: Uint8Array;
  private readonly baseAll: Float64Array;
  private readonly rateAll: Float64Array;
  private readonly potentialAll: Float64Array;
  private readonly marked: Uint8Array;
  private readonly state: Uint8Array;
  private readonly level: Float64Array;
  private readonly filledAt: Float64Array;
  private readonly heap: MinHeap;

  constructor(
    ws: FillWorkspace,
    private readonly demand: ConnectorDemand,
    private readonly set: ConstraintSet,
    private readonly capacity: Float64Array,
    private readonly target: FillTarget,
    members: readonly number[],
  ) {
    ({
      base: this.base,
      rate: this.rate,
      potential: this.potential,
      full: this.full,
      baseAll: this.baseAll,
      rateAll: this.rateAll,
    } = ws);
    ({
      potentialAll: this.potentialAll,
      marked: this.marked,
      state: this.state,
      level: this.level,
      filledAt: this.filledAt,
      heap: this.heap,
    } = ws);
    this.joins = sortByKey(members, demand.minSteps);
    this.caps = sortByKey(members, demand.maxSteps);
  }

  /**
   * Picks the fill up at `resume.level`: members stopped below it stop as they did, the others have risen to it.
   * A reopened fill starts from the workspace's end state of that same fill and undoes only what happened at or
   * above the level. Returns the members that rise (or wait) again, the only ones whose usage changes.
   */
  resumeAt(resume: FillResume, reopen: boolean): number[] {
    const { joins, state, level, full, filledAt, target } = this;
    const { minSteps } = this.demand;
    const reopened: number[] = [];
    this.current = resume.level;
    if (reopen) this.reopenFullAbove(resume.level);
    let k = 0;
    for (; k < joins.length && i32(minSteps, i32(joins, k)) <= resume.level; k++) {
      const i = i32(joins, k);
      const at = f64(resume.levels, i);
      if (at >= resume.level - FILL_EPSILON) {
        this.rise(i, reopen ? at : i32(minSteps, i));
        reopened.push(i);
        continue;
      }
      const bound = i32(resume.boundBy, i);
      target.boundBy[i] = bound;
      if (reopen) continue;
      state[i] = STOPPED;
      level[i] = at;
      this.move(i, at - i32(minSteps, i), 0);
      if (bound >= 0) {
        full[bound] = 1;
        filledAt[bound] = at;
        this.anyFull = true;
      }
    }
    this.nextJoiner = k;
    // In a reopened fill, members that joined above the level wait again, back at their minimum.
    for (; reopen && k < joins.length; k++) {
      const i = i32(joins, k);
      this.move(i, i32(minSteps, i) - f64(resume.levels, i), 0);
      state[i] = WAITING;
      reopened.push(i);
    }
    this.queueTouched();
    return reopened;
  }

  /** Runs the events in level order until no member can rise any more. */
  run(): void {
    const { joins, caps, state } = this;
    const { minSteps, maxSteps } = this.demand;
    for (;;) {
      while (this.nextCapped < caps.length && state[i32(caps, this.nextCapped)] === STOPPED) this.nextCapped++;
      const capped = this.nextCapped < caps.length ? i32(caps, this.nextCapped) : -1;
      const nextCap = capped >= 0 ? i32(maxSteps, capped) : Infinity;
      const nextJoin = this.nextJoiner < joins.length ? i32(minSteps, i32(joins, this.nextJoiner)) : Infinity;
      const fullLevel = this.nextFull();
      if (nextCap === Infinity && nextJoin === Infinity && fullLevel === Infinity) return;
      if (nextCap <= fullLevel && nextCap <= nextJoin && state[capped] === RISING) {
        this.current = Math.max(this.current, nextCap);
        this.nextCapped++;
        this.stop(capped, nextCap, BOUND_BY_OWN_MAX);
      } else if (fullLevel <= nextJoin) {
        this.fillGroup(fullLevel);
      } else {
        this.joinAt(nextJoin);
      }
    }
  }

  /** Clears the full marks set at or above `level`, where a reopened fill takes over. */
  private reopenFullAbove(level: number): void {
    const { full, filledAt } = this;
    this.anyFull = false;
    for (let c = 0; c < full.length; c++) {
      if (full[c] && f64(filledAt, c) >= level - FILL_EPSILON) full[c] = 0;
      this.anyFull ||= full[c] === 1;
    }
  }

  /** The group at the top of the queue fills on one phase at `at`: every member still rising under it stops. */
  private fillGroup(at: number): void {
    const { heap, full, filledAt, state } = this;
    const { allStart, allMembers, phaseStart, phaseMembers } = this.set;
    const g = heap.peekItem();
    const c = g * 3 + this.fillingPhase;
    heap.pop();
    this.current = Math.max(this.current, at);
    full[c] = 1;
    filledAt[c] = this.current;
    this.anyFull = true;
    for (let k = i32(allStart, g), end = i32(allStart, g + 1); k < end; k++) {
      const i = i32(allMembers, k);
      if (state[i] === RISING) this.stop(i, this.current, c);
    }
    for (let k = i32(phaseStart, c), end = i32(phaseStart, c + 1); k < end; k++) {
      const i = i32(phaseMembers, k);
      if (state[i] === RISING) this.stop(i, this.current, c);
    }
    // The group's other phases may still fill later.
    const again = this.groupFullAt(g);
    if (again !== Infinity) heap.push(again, g);
  }

  /** Every member whose minimum is `at` joins. */
  private joinAt(at: number): void {
    const { joins } = this;
    const { minSteps } = this.demand;
    this.current = Math.max(this.current, at);
    while (this.nextJoiner < joins.length && i32(minSteps, i32(joins, this.nextJoiner)) === at)
      this.join(i32(joins, this.nextJoiner++));
    this.queueTouched();
  }

  /** A member joins at its minimum: it stops there at once when a limit it is under is already full. */
  private join(i: number): void {
    const lo = i32(this.demand.minSteps, i);
    const bound = this.anyFull ? firstFullConstraint(this.set, this.full, i) : -1;
    if (bound >= 0 || i32(this.demand.maxSteps, i) <= lo) {
      this.state[i] = STOPPED;
      this.level[i] = lo;
      this.target.boundBy[i] = bound >= 0 ? bound : BOUND_BY_OWN_MAX;
    } else {
      this.rise(i, lo);
    }
  }

  /** A member rises from `from`: its minimum when it joins, or its old level when a reopened fill takes it back. */
  private rise(i: number, from: number): void {
    const { start, group } = this.set;
    const { marked, touched } = this;
    this.state[i] = RISING;
    this.move(i, -from, 1);
    for (let j = i32(start, i), end = i32(start, i + 1); j < end; j++) {
      const g = i32(group, j);
      if (!marked[g]) {
        marked[g] = 1;
        touched.push(g);
      }
    }
  }

  private stop(i: number, at: number, bound: number): void {
    this.state[i] = STOPPED;
    this.level[i] = at;
    this.target.boundBy[i] = bound;
    this.move(i, at, -1);
  }

  /** Adds `levels` times its weight to the base, and `rises` times its weight to the rate, of every constraint i is under. */
  private move(i: number, levels: number, rises: number): void {
    const { start, group, phase, weight } = this.set;
    const { base, rate, baseAll, rateAll } = this;
    for (let j = i32(start, i), end = i32(start, i + 1); j < end; j++) {
      const g = i32(group, j);
      const p = u8(phase, j);
      const w = i32(weight, j);
      if (p === ALL_PHASES) {
        addAt(baseAll, g, w * levels);
        addAt(rateAll, g, w * rises);
      } else {
        addAt(base, g * 3 + p, w * levels);
        addAt(rate, g * 3 + p, w * rises);
      }
    }
  }

  /** Puts the groups whose rate rose into the event queue, at the level they now fill. */
  private queueTouched(): void {
    const { touched, marked, heap } = this;
    for (const g of touched) {
      marked[g] = 0;
      const at = this.groupFullAt(g);
      if (at !== Infinity) heap.push(at, g);
    }
    touched.length = 0;
  }

  /**
   * The level at which the next group fills. Heap keys may be stale but never too high (members stopping only raise
   * a group's fill level), so a popped key is recomputed and pushed back when it rose.
   */
  private nextFull(): number {
    const { heap } = this;
    while (heap.length > 0) {
      const g = heap.peekItem();
      const at = this.groupFullAt(g);
      if (at === Infinity) {
        heap.pop();
      } else if (at > heap.peekKey() + FILL_EPSILON) {
        heap.pop();
        heap.push(at, g);
      } else {
        return at;
      }
    }
    return Infinity;
  }

  /** The level at which group g's next phase fills (Infinity when none can); that phase is left in `fillingPhase`. */
  private groupFullAt(g: number): number {
    const { rate, rateAll, full, potential, potentialAll, capacity, base, baseAll } = this;
    const groupRate = f64(rateAll, g);
    const groupPotential = f64(potentialAll, g);
    const groupBase = f64(baseAll, g);
    let lowest = Infinity;
    for (let p = 0, c = g * 3; p < 3; p++, c++) {
      const r = f64(rate, c) + groupRate;
      if (full[c] || r <= 0 || f64(potential, c) + groupPotential <= f64(capacity, c)) continue;
      const at = (f64(capacity, c) - f64(base, c) - groupBase) / r;
      if (at < lowest) {
        lowest = at;
        this.fillingPhase = p;
      }
    }
    return lowest;
  }
}
