/**
 * A meter that keeps dropping out is trusted again only once it has read without a gap for a minimum pause.
 *
 * Why: cars the lost-meter fallback pauses may charge again as soon as their meter is back (a fault paused them, not a
 * choice of the controller's, so they sit out no `minPauseSeconds`). A meter that goes silent for
 * `staleMeter.afterSeconds` again and again would then stop and restart those cars at every loss: each one a contactor
 * cycle and a car's handshake. So a meter lost again less than a minimum pause after its last return is on probation
 * when it comes back: the allocator does not see its readings (its circuit stays on the fallback budget, which is safe)
 * until it has read for a minimum pause with no gap longer than the staleness limit. A loss a minimum pause or more
 * after the last return costs nothing more than before; a flapping meter cycles its cars no more often than a minimum
 * pause allows, as the controller's own pauses do. Trust is judged by the readings' own times: the reading that ends a
 * probation is also the one that runs the round which uses it.
 */

interface MeterTrust {
  /** When the meter last came back from a loss (the allocation saw it again). */
  returnedAt?: number;
  /** Lost again less than a minimum pause after its last return: on probation once it reads again. */
  flapping: boolean;
  /** On probation: readings taken from then on count, if it reads with no gap until then. */
  trustedFrom?: number;
  /** How long a probation lasts (the minimum pause when it was lost). */
  probationMs: number;
  lastReadingAt?: number;
}

export interface ProbationSettings {
  /** The staleness limit: a longer gap between readings starts a probation again. */
  readonly staleMs: number;
  /** The minimum pause: how soon after a return a loss makes a flap, and how long a probation lasts. */
  readonly minPauseMs: number;
}

export class MeterProbation {
  private readonly meters = new Map<string, MeterTrust>();

  /** The allocation put the meter's circuit on the fallback budget at `at`. */
  lost(meterId: string, at: number, settings: ProbationSettings): void {
    const trust = this.trustOf(meterId);
    trust.flapping = trust.returnedAt !== undefined && at - trust.returnedAt < settings.minPauseMs;
    trust.trustedFrom = undefined;
    trust.probationMs = settings.minPauseMs;
  }

  /** The allocation saw the meter again at `at`. */
  returned(meterId: string, at: number): void {
    const trust = this.trustOf(meterId);
    trust.returnedAt = at;
    trust.flapping = false;
    trust.trustedFrom = undefined;
  }

  /**
   * A valid reading taken at `at`. On probation, the first one (or the first after a gap longer than the staleness
   * limit) starts the minimum pause the meter must read through; returns when it ends if this reading started it.
   */
  reading(meterId: string, at: number, settings: ProbationSettings): number | undefined {
    const trust = this.meters.get(meterId);
    if (trust === undefined) return undefined;
    const gap = trust.lastReadingAt === undefined || at - trust.lastReadingAt > settings.staleMs;
    trust.lastReadingAt = at;
    if (!trust.flapping || (trust.trustedFrom !== undefined && !gap)) return undefined;
    trust.trustedFrom = at + settings.minPauseMs;
    return trust.trustedFrom;
  }

  /**
   * While the meter's readings must not count (it flapped and has not read long enough since), how long it must read
   * without a gap; undefined once they count.
   */
  withheldFor(meterId: string): number | undefined {
    const trust = this.meters.get(meterId);
    if (trust === undefined || !trust.flapping) return undefined;
    const served =
      trust.trustedFrom !== undefined && trust.lastReadingAt !== undefined && trust.lastReadingAt >= trust.trustedFrom;
    return served ? undefined : trust.probationMs;
  }

  private trustOf(meterId: string): MeterTrust {
    let trust = this.meters.get(meterId);
    if (trust === undefined) {
      trust = { flapping: false, probationMs: 0 };
      this.meters.set(meterId, trust);
    }
    return trust;
  }
}
