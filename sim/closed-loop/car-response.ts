/**
 * How a car's draw follows the limit its charger offers: nothing for a while after a change (the car reacts to the
 * new pilot signal), then a linear ramp to the new target. IEC 61851 gives a car up to 5 s to follow a lower limit.
 */

export interface CarResponse {
  /** Seconds before the car starts to follow a changed limit. */
  readonly delaySeconds: number;
  /** Seconds the car takes to go from its current draw to the new target. */
  readonly rampSeconds: number;
}

/** One car's draw per phase over time: piecewise linear, restarted from wherever it is at each change. */
export class CarDraw {
  private fromAmps = 0;
  private toAmps = 0;
  private changedAt = 0;

  constructor(private readonly response: CarResponse) {}

  /** The draw per phase at `t` (epoch ms). */
  at(t: number): number {
    const startMs = this.changedAt + this.response.delaySeconds * 1000;
    if (t <= startMs) return this.fromAmps;
    const rampMs = this.response.rampSeconds * 1000;
    if (rampMs <= 0 || t >= startMs + rampMs) return this.toAmps;
    return this.fromAmps + ((this.toAmps - this.fromAmps) * (t - startMs)) / rampMs;
  }

  /** The car's target changed at `t` (a new limit, or the car's own wish); it follows from its draw at `t`. */
  follow(t: number, targetAmps: number): void {
    if (targetAmps === this.toAmps) return;
    this.fromAmps = this.at(t);
    this.toAmps = targetAmps;
    this.changedAt = t;
  }

  /** The highest draw possible between `t` and the end of the current transition. */
  get target(): number {
    return this.toAmps;
  }
}
