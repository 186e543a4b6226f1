/**
 * The phase-imbalance limit as pause selection sees it, before any car has risen: the 1- and 2-phase cars' minimums
 * on a phase cannot be balanced when they exceed the most the lightest phase could ever carry (every car on it at its
 * maximum, with reserved load) plus the limit. Cars are paused for that in rank order, like for any other limit, so
 * that the limit and the budget choose together whom to pause; what is still out of balance once the cars rise is
 * left to phase balancing.
 */
import type { Policy } from '../policy/policy-schema';
import { isReserved, stepsDown, type ConnectorDemand } from './connector-demand';
import { PHASES } from '../units';
import { i32, u8 } from './typed-access';

export class MinimumBalance {
  /** Per grid phase: the 1- and 2-phase cars' minimums, their maximums, and how many such cars are active. */
  private readonly least: [number, number, number] = [0, 0, 0];
  private readonly most: [number, number, number] = [0, 0, 0];
  private readonly cars: [number, number, number] = [0, 0, 0];

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
    const ok = this.unbalancedPhase() < 0;
    this.remove(i);
    return ok;
  }

  /** A phase whose cars' minimums exceed what the lightest phase could carry plus the limit, or -1. */
  unbalancedPhase(): number {
    const floor = Math.min(...this.most);
    for (const p of PHASES) if (this.cars[p] > 0 && this.least[p] > floor + this.allowed) return p;
    return -1;
  }

  /** Bit mask of the phases whose most is the lowest: a car on one of them cannot help by waiting. */
  floorMask(): number {
    const floor = Math.min(...this.most);
    return (this.most[0] === floor ? 1 : 0) | (this.most[1] === floor ? 2 : 0) | (this.most[2] === floor ? 4 : 0);
  }

  private shift(mask: number, least: number, most: number, cars: number): void {
    for (const p of PHASES) {
      if ((mask & (1 << p)) === 0) continue;
      this.least[p] += least;
      this.most[p] += most;
      this.cars[p] += cars;
    }
  }
}
