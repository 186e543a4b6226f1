/**
 * Decides which waiting cars charge when the budget cannot give every one its minimum.
 * Lowest priority pauses first; within a priority, cars due for rotation (longest charging first), then cars
 * already waiting (newest first), then the rest, most energy first. Rotation is due when a car has waited for the
 * rotation interval. Minimum pause times hold paused cars back; minimum active times
 * only protect against rotation, never against a fuse.
 */
import type { Policy } from '../policy/policy-schema';
import type { AllocationReason } from './allocation-types';
import { isReserved, Role, type ConnectorDemand } from './connector-demand';
import { addUsage, fits, overLimit, type ConstraintSet } from './constraint-set';
import { MinimumBalance } from './minimum-balance';
import { PrevActivity } from './previous-round';
import { f64, i32, u8 } from './typed-access';

export type PauseReason = Extract<
  AllocationReason,
  'pausedNoBudget' | 'rotatedOut' | 'minPauseTime' | 'imbalanceLimited'
>;

export interface PauseSelection {
  /** 1 for candidates that charge this round (at least at their minimum). */
  readonly active: Uint8Array;
  /** Why each paused candidate waits. */
  readonly pauseReason: (PauseReason | undefined)[];
  /** Usage per constraint with reserved connectors and every active candidate at its minimum. */
  readonly used: Float64Array;
}

const BUCKET_DUE = 0;
const BUCKET_WAITING = 1;
const BUCKET_ACTIVE = 2;

/**
 * Chooses the candidates that charge, so that every constraint holds with each of them at its minimum.
 * `heldForBalance` marks cars the phase-imbalance limit keeps paused; `excluded` candidates take no part at all.
 */
export function selectActive(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  policy: Policy,
  now: number,
  heldForBalance: Uint8Array,
  excluded?: Uint8Array,
): PauseSelection {
  const { n } = demand;
  const used = new Float64Array(capacity.length);
  const active = new Uint8Array(n);
  const pauseReason: (PauseReason | undefined)[] = new Array<PauseReason | undefined>(n);
  const minPauseMs = policy.hysteresis.minPauseSeconds * 1000;
  for (let i = 0; i < n; i++) {
    const role = u8(demand.role, i);
    if (isReserved(role)) addUsage(set, used, i, i32(demand.reservedSteps, i));
    if (role !== Role.Candidate || excluded?.[i]) continue;
    if (heldForBalance[i]) {
      pauseReason[i] = 'imbalanceLimited';
      continue;
    }
    if (
      demand.previous.activity[i] === PrevActivity.Paused &&
      !demand.previous.freeToResume[i] &&
      now - f64(demand.previous.since, i) < minPauseMs
    ) {
      pauseReason[i] = 'minPauseTime';
      continue;
    }
    active[i] = 1;
    addUsage(set, used, i, i32(demand.minSteps, i));
  }
  const balance = MinimumBalance.of(demand, active, policy);
  if (!overflows(used, capacity) && balance?.unbalanced() === undefined) return { active, pauseReason, used };

  const bucket = rotationBuckets(demand, active, policy, now);
  const order = pauseOrder(demand, active, bucket, now);
  for (const i of order) {
    if (!overLimit(set, used, capacity, i)) continue;
    active[i] = 0;
    addUsage(set, used, i, -i32(demand.minSteps, i));
    balance?.remove(i);
    pauseReason[i] = bucket[i] === BUCKET_DUE ? 'rotatedOut' : 'pausedNoBudget';
  }
  if (balance) pauseForBalance(demand, set, used, active, pauseReason, order, balance);
  readmit(demand, set, capacity, used, active, pauseReason, order, balance);
  confirmRotations(demand, active, bucket, pauseReason);
  return { active, pauseReason, used };
}

function overflows(used: Float64Array, capacity: Float64Array): boolean {
  for (let c = 0; c < used.length; c++) if (f64(used, c) > f64(capacity, c)) return true;
  return false;
}

/**
 * A charging car is due for rotation once it has been active for the rotation interval (and the minimum active
 * time), but only while a car of its class has waited for the interval too: the waiting car that was just rotated
 * out comes back as a candidate after `minPauseSeconds`, and must not push the next car out before its turn.
 */
function rotationBuckets(demand: ConnectorDemand, active: Uint8Array, policy: Policy, now: number): Uint8Array {
  const bucket = new Uint8Array(demand.n);
  const interval = policy.rotation.intervalSeconds;
  const dueAfterMs = Math.max(interval, policy.hysteresis.minActiveSeconds) * 1000;
  const longWaiting = new Set<number>();
  for (let i = 0; i < demand.n; i++) {
    if (
      active[i] &&
      demand.previous.activity[i] === PrevActivity.Paused &&
      now - f64(demand.previous.since, i) >= interval * 1000
    )
      longWaiting.add(i32(demand.klass, i));
  }
  for (let i = 0; i < demand.n; i++) {
    if (!active[i]) continue;
    if (demand.previous.activity[i] !== PrevActivity.Active) bucket[i] = BUCKET_WAITING;
    else
      bucket[i] =
        interval > 0 && longWaiting.has(i32(demand.klass, i)) && now - f64(demand.previous.since, i) >= dueAfterMs
          ? BUCKET_DUE
          : BUCKET_ACTIVE;
  }
  return bucket;
}

function pauseOrder(demand: ConnectorDemand, active: Uint8Array, bucket: Uint8Array, now: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < demand.n; i++) if (active[i]) order.push(i);
  const since = (i: number) =>
    demand.previous.activity[i] === PrevActivity.None ? now : f64(demand.previous.since, i);
  order.sort((a, b) => {
    const byClass = i32(demand.klass, a) - i32(demand.klass, b);
    if (byClass !== 0) return byClass;
    const byBucket = u8(bucket, a) - u8(bucket, b);
    if (byBucket !== 0) return byBucket;
    if (bucket[a] === BUCKET_WAITING) {
      const byWait = since(b) - since(a);
      if (byWait !== 0) return byWait;
    }
    if (bucket[a] === BUCKET_DUE) {
      // The car that has charged longest makes way first, so every car gets its turn.
      const byTurn = since(a) - since(b);
      if (byTurn !== 0) return byTurn;
    }
    const byEnergy = f64(demand.energyWh, b) - f64(demand.energyWh, a);
    if (byEnergy !== 0) return byEnergy;
    return b - a;
  });
  return order;
}

/**
 * Pausing in rank order can pause more than needed when a later pause frees the same limit: give the paused cars
 * another chance, highest rank first, so nobody waits whose minimum fits.
 */
function readmit(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  pauseReason: (PauseReason | undefined)[],
  order: readonly number[],
  balance: MinimumBalance | undefined,
): void {
  // A car admitted later in the pass may raise what the lightest phase can carry: one the balance turned away before
  // it gets another pass (a few at most).
  for (let pass = 0; pass < READMIT_PASSES; pass++) {
    let turnedAway = false;
    let admittedSince = false;
    for (let k = order.length - 1; k >= 0; k--) {
      const i = order[k]!;
      if (active[i] || pauseReason[i] === 'rotatedOut' || !fits(set, used, capacity, i, i32(demand.minSteps, i)))
        continue;
      if (balance && !balance.admits(i)) {
        if (!swapForBalance(demand, set, capacity, used, active, pauseReason, order, k, balance)) {
          pauseReason[i] = 'imbalanceLimited';
          turnedAway = true;
        }
        continue;
      }
      active[i] = 1;
      pauseReason[i] = undefined;
      addUsage(set, used, i, i32(demand.minSteps, i));
      balance?.add(i);
      admittedSince ||= turnedAway;
    }
    if (!admittedSince) return;
  }
}

const READMIT_PASSES = 4;
/** Lower-ranked cars tried in a car's place when the balance turns it away. */
const SWAP_TRIES = 32;

/**
 * The car at `order[k]` fits every limit but the balance: it takes the place of a lower-ranked 1- or 2-phase car
 * (earlier in `order`) whose pause makes the minimums balanceable, as pausing in rank order would have had both
 * limits been one. True when it did.
 */
function swapForBalance(
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  active: Uint8Array,
  pauseReason: (PauseReason | undefined)[],
  order: readonly number[],
  k: number,
  balance: MinimumBalance,
): boolean {
  const i = order[k]!;
  let tries = 0;
  for (let m = 0; m < k && tries < SWAP_TRIES; m++) {
    const j = order[m]!;
    if (!active[j] || demand.phaseCount[j] === 3 || i32(demand.klass, j) > i32(demand.klass, i)) continue;
    tries++;
    balance.remove(j);
    addUsage(set, used, j, -i32(demand.minSteps, j));
    if (balance.admits(i) && fits(set, used, capacity, i, i32(demand.minSteps, i))) {
      active[j] = 0;
      pauseReason[j] = 'imbalanceLimited';
      active[i] = 1;
      pauseReason[i] = undefined;
      addUsage(set, used, i, i32(demand.minSteps, i));
      balance.add(i);
      return true;
    }
    addUsage(set, used, j, i32(demand.minSteps, j));
    balance.add(j);
  }
  return false;
}

/**
 * Pauses 1- and 2-phase cars in rank order while their minimums cannot be balanced (see `MinimumBalance`): each time
 * the first on the heavy phase of the widest gap and not on its light one (a car on both cannot narrow it).
 */
function pauseForBalance(
  demand: ConnectorDemand,
  set: ConstraintSet,
  used: Float64Array,
  active: Uint8Array,
  pauseReason: (PauseReason | undefined)[],
  order: readonly number[],
  balance: MinimumBalance,
): void {
  for (let pair = balance.unbalanced(); pair !== undefined; pair = balance.unbalanced()) {
    const { heavy, light } = pair;
    const victim = order.find((i) => {
      const mask = u8(demand.phaseMask, i);
      return active[i] && demand.phaseCount[i] !== 3 && (mask & (1 << heavy)) !== 0 && (mask & (1 << light)) === 0;
    });
    if (victim === undefined) return;
    active[victim] = 0;
    addUsage(set, used, victim, -i32(demand.minSteps, victim));
    balance.remove(victim);
    pauseReason[victim] = 'imbalanceLimited';
  }
}

/** A car is only "rotated out" when a waiting car of its priority got in; otherwise the budget paused it. */
function confirmRotations(
  demand: ConnectorDemand,
  active: Uint8Array,
  bucket: Uint8Array,
  pauseReason: (PauseReason | undefined)[],
): void {
  const admitted = new Set<number>();
  for (let i = 0; i < demand.n; i++) if (active[i] && bucket[i] === BUCKET_WAITING) admitted.add(i32(demand.klass, i));
  for (let i = 0; i < demand.n; i++) {
    if (pauseReason[i] === 'rotatedOut' && !admitted.has(i32(demand.klass, i))) pauseReason[i] = 'pausedNoBudget';
  }
}
