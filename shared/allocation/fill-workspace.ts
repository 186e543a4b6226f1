/** The scratch arrays of water-filling, owned by an allocator and reused by every class and refill of its rounds. */
import { MinHeap } from './min-heap';

/** A member's state in a fill. */
export const WAITING = 0;
export const RISING = 1;
export const STOPPED = 2;

/**
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

  /** True when this workspace still holds the end state of the fill of `members` that wrote `levels`. */
  holdsFill(members: readonly number[], levels: Float64Array): boolean {
    return this.lastMembers === members && this.lastLevels === levels;
  }
}
