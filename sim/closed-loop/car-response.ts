/**
 * How a car's draw follows the limit its charger offers: nothing for a while after a change (the car reacts to the
 * new pilot signal), then a linear ramp to the new target. IEC 61851 gives a car up to 5 s to follow a lower limit,
 * and that holds for every cut, not only the last: a car cut again while it ramps down is below each cut by that cut's
 * own deadline (delay + ramp after it was sent), however often the limit moves.
 */

export interface CarResponse {
  /** Seconds before the car starts to follow a changed limit. */
  readonly delaySeconds: number;
  /** Seconds the car takes to go from its current draw to the new target. */
  readonly rampSeconds: number;
}

/** One transition: from `fromAmps` (held through the delay) to `toAmps`, reached at `changedAt + delay + ramp`. */
interface Transition {
  readonly fromAmps: number;
  readonly toAmps: number;
  readonly changedAt: number;
}

/** One car's draw per phase over time: piecewise linear, restarted from wherever it is at each change. */
export class CarDraw {
  private current: Transition = { fromAmps: 0, toAmps: 0, changedAt: 0 };
  /** Earlier cuts still binding (deadline ahead, no higher limit since): the draw stays under each one's own line. */
  private cuts: Transition[] = [];

  constructor(private readonly response: CarResponse) {}

  /** The draw per phase at `t` (epoch ms). */
  at(t: number): number {
    let amps = this.along(this.current, t);
    for (const cut of this.cuts) amps = Math.min(amps, this.along(cut, t));
    return amps;
  }

  /** The car's target changed at `t` (a new limit, or the car's own wish); it follows from its draw at `t`. */
  follow(t: number, targetAmps: number): void {
    if (targetAmps === this.current.toAmps) return;
    const fromAmps = this.at(t);
    const endMs = (this.response.delaySeconds + this.response.rampSeconds) * 1000;
    // An earlier cut binds until its deadline. A higher limit since lifts its target to that limit, never its deadline:
    // by then the car is under the highest limit it held since the cut. Before, a higher limit ended the cut and the
    // car's delay began again, so a car cut to 6 A and raised a step every 0.7 s kept 16 A for over 5 s, under a 15 A
    // limit the controller rightly took as followed (seed -232024248). A limit at or above what it cut from ends it.
    const earlier = this.current.toAmps < this.current.fromAmps ? [...this.cuts, this.current] : this.cuts;
    this.cuts = earlier
      .map((cut) => (cut.toAmps >= targetAmps ? cut : { ...cut, toAmps: targetAmps }))
      .filter((cut) => cut.changedAt + endMs > t && cut.toAmps < cut.fromAmps);
    this.current = { fromAmps, toAmps: targetAmps, changedAt: t };
  }

  /** The highest draw possible between `t` and the end of the current transition. */
  get target(): number {
    return this.current.toAmps;
  }

  private along(transition: Transition, t: number): number {
    const startMs = transition.changedAt + this.response.delaySeconds * 1000;
    if (t <= startMs) return transition.fromAmps;
    const rampMs = this.response.rampSeconds * 1000;
    if (rampMs <= 0 || t >= startMs + rampMs) return transition.toAmps;
    return transition.fromAmps + ((transition.toAmps - transition.fromAmps) * (t - startMs)) / rampMs;
  }
}
