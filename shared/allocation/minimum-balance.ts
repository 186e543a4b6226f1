/**
 * The phase-imbalance limit as pause selection sees it, before any car has risen. Between two phases p and q only the
 * cars on one and not the other make a difference (a 2-phase car on both adds to both alike): the minimums of the 1-
 * and 2-phase cars on p and not on q cannot be balanced when they exceed the most the cars on q and not on p could
 * ever carry (each at its maximum, with reserved load) plus the limit. Cars are paused for that in rank order, like
 * for any other limit, so that the limit and the budget choose together whom to pause; what is still out of balance
 * once the cars rise is left to phase balancing.
 */
import type { Policy } from '../policy/policy-schema';
import { isReserved, stepsDown, type ConnectorDemand } from './connector-demand';
import { PHASES } from '../units';
import { i32, u8 } from './typed-access';

/** Two phases out of balance: `heavy` loaded by minimums beyond what `light` could carry, plus the limit. */
export interface PhasePair {
  readonly heavy: number;
  readonly light: number;
}

/** Phase masks of 1- and 2-phase loads: bit p is grid phase p. */
const MASKS = 8;

export class MinimumBalance {
  /**
   * Per phase mask, in steps: the minimums of the 1- and 2-phase cars on exactly those phases, their maximums, their
   * count (reserved load counts in the first two).
   */
  private readonly least = new Int32Array(MASKS);
  private readonly most = new Int32Array(MASKS);
  private readonly cars = new Int32Array(MASKS);

  private constructor(
    private readonly demand: ConnectorDemand,
    private readonly allowed: number,
  ) {}

  /** The balance of the active cars, or undefined without an imbalance limit. */
  static of(demand: ConnectorDemand, active: Uint8Array, policy: Policy): MinimumBalance | undefined {
    const maxAmps = policy.phaseImbalance.maxAmps;
    if (maxAmps === null) return undefined;
    const balance = new MinimumBalance(demand, stepsDown(maxAmps, policy.granularityAmps));
    for (let i = 0; i < demand.n; i++) {
      if (demand.phaseCount[i] === 3) continue;
      if (isReserved(u8(demand.role, i)))
        balance.shift(u8(demand.phaseMask, i), i32(demand.reservedSteps, i), i32(demand.reservedSteps, i), 0);
      else if (active[i]) balance.add(i);
    }
    return balance;
  }

  add(i: number): void {
    if (this.demand.phaseCount[i] !== 3)
      this.shift(u8(this.demand.phaseMask, i), i32(this.demand.minSteps, i), i32(this.demand.maxSteps, i), 1);
  }

  remove(i: number): void {
    if (this.demand.phaseCount[i] !== 3)
      this.shift(u8(this.demand.phaseMask, i), -i32(this.demand.minSteps, i), -i32(this.demand.maxSteps, i), -1);
  }

  /** True when car i (not yet counted) could be added without making the minimums impossible to balance. */
  admits(i: number): boolean {
    if (this.demand.phaseCount[i] === 3) return true;
    this.add(i);
    const ok = this.unbalanced() === undefined;
    this.remove(i);
    return ok;
  }

  /**
   * Two phases whose cars' minimums cannot be balanced (pausing a car on `heavy` and not on `light` helps), the widest
   * such gap first, or undefined.
   */
  unbalanced(): PhasePair | undefined {
    let worst: PhasePair | undefined;
    let worstGap = this.allowed;
    for (const heavy of PHASES)
      for (const light of PHASES) {
        if (heavy === light) continue;
        let least = 0;
        let most = 0;
        let cars = 0;
        for (let mask = 1; mask < MASKS; mask++) {
          const onHeavy = (mask & (1 << heavy)) !== 0;
          const onLight = (mask & (1 << light)) !== 0;
          if (onHeavy && !onLight) {
            least += i32(this.least, mask);
            cars += i32(this.cars, mask);
          } else if (onLight && !onHeavy) most += i32(this.most, mask);
        }
        if (cars > 0 && least - most > worstGap) {
          worst = { heavy, light };
          worstGap = least - most;
        }
      }
    return worst;
  }

  private shift(mask: number, least: number, most: number, cars: number): void {
    this.least[mask] = i32(this.least, mask) + least;
    this.most[mask] = i32(this.most, mask) + most;
    this.cars[mask] = i32(this.cars, mask) + cars;
  }
}
