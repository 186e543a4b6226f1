/**
 * A car's recent measured draw and the limits its charger enforced, so that its draw can be told at the instant a
 * meter read the site: a lower bound (what it drew at least, for raises) and a best estimate (for the allocation).
 */
import { STARTED_AMPS } from '../../shared/allocation/connector-demand';
import type { PhaseAmps } from '../../shared/units';

interface Sample {
  readonly at: number;
  readonly amps: PhaseAmps;
}

interface LimitChange {
  /** From this instant on the charger may hold `amps`. */
  readonly at: number;
  readonly amps: number;
  /** False for a cut sent but not yet answered: the charger may already apply it, or not at all. */
  readonly confirmed: boolean;
}

/** Samples and limit changes older than this are not needed to judge a meter reading. */
const KEEP_MS = 10 * 60_000;
const MAX_SAMPLES = 8;
const MAX_LIMITS = 32;
const NONE: PhaseAmps = [0, 0, 0];

/** A car's draw per charger phase as a range: it is somewhere between `low` and `high`. */
export interface DrawRange {
  readonly low: PhaseAmps;
  readonly high: PhaseAmps;
}

const onPhases = (amps: number, phases: number): PhaseAmps => [amps, phases >= 2 ? amps : 0, phases >= 3 ? amps : 0];
/** Agreeing samples at least this far apart show a car steady, not ramping. */
const STEADY_SPAN_MS = 1_000;
/** A car drawing no more than this above its limit has followed it. */
const FOLLOWED_AMPS = 0.5;

/** The car's smoothed draw: its newest sample, averaged with the samples that agree with it once it followed its limit. */
export type SmoothedDraw = Sample & { readonly steadyAtAmps?: number };

/** What the charger holds at an instant (`limitAt(t, false)`) and what its car may still draw then (`mayDraw`). */
export interface HeldLimits {
  readonly limitAmps: number;
  readonly mayDrawAmps: number;
}

export class DrawHistory {
  private readonly samples: Sample[] = [];
  private readonly limits: LimitChange[] = [];
  /**
   * The last `smoothed` answer and the response time it was for: it depends on the samples and limits alone, and every
   * round asks it of every car, while a car's samples and limits change every few seconds at most.
   */
  private smoothedCache: { readonly responseMs: number; readonly draw: SmoothedDraw | undefined } | undefined;
  /**
   * The last `heldAt` answer, the response time it was for and the instants between which it holds: the raise gate asks
   * it of every car every round, and it changes only with a sample, a limit change, or time reaching the next instant
   * one of them enters or leaves the response time (1,000 cars: a tenth of the agent's control round, 2026-12-05).
   */
  private heldCache:
    | { readonly responseMs: number; readonly from: number; readonly until: number; readonly held: HeldLimits }
    | undefined;

  /** A measurement of the car's draw per charger phase, taken at `at`. */
  addSample(at: number, amps: PhaseAmps): void {
    insertByTime(this.samples, { at, amps });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    this.smoothedCache = undefined;
    this.heldCache = undefined;
  }

  /**
   * The charger holds `amps` from `at` on (`confirmed` false: it may, a cut on its way); a change scheduled later (a
   * lease's expiry) is superseded.
   */
  addLimit(at: number, amps: number, confirmed = true): void {
    this.smoothedCache = undefined;
    this.heldCache = undefined;
    while (this.limits.length > 0 && this.limits.at(-1)!.at > at) this.limits.pop();
    const last = this.limits.at(-1);
    // A renewal at the same limit changes nothing: the car's samples since the real change still tell its draw.
    if (last !== undefined && last.amps === amps && last.confirmed === confirmed) return;
    this.limits.push({ at, amps, confirmed });
    // Keep the change in force at the oldest time still needed, and everything after it.
    while (this.limits.length > MAX_LIMITS || (this.limits.length > 1 && this.limits[1]!.at < at - KEEP_MS))
      this.limits.shift();
  }

  /** The newest sample, if any. */
  latest(): Sample | undefined {
    return this.samples.at(-1);
  }

  /**
   * The newest sample, its amps the mean of the samples taken once the car had `responseMs` to follow its last limit
   * change (at most four), when there are such: less noise, and no sample from a ramp.
   */
  smoothed(responseMs: number): SmoothedDraw | undefined {
    if (this.smoothedCache?.responseMs !== responseMs)
      this.smoothedCache = { responseMs, draw: this.smoothedNow(responseMs) };
    return this.smoothedCache.draw;
  }

  private smoothedNow(responseMs: number): SmoothedDraw | undefined {
    const latest = this.latest();
    if (latest === undefined) return undefined;
    const settled = this.settledDraw(latest.at, responseMs);
    if (settled === undefined) return latest;
    // Two agreeing samples a second or more apart, both after the car's response time: it is steady at its limit.
    const steady = settled.count >= 2 && settled.spanMs >= STEADY_SPAN_MS;
    return {
      at: latest.at,
      amps: settled.amps,
      ...(steady && { steadyAtAmps: this.limitAt(latest.at, false) }),
    };
  }

  /** `limitAt(t, false)` and `mayDraw(t, responseMs)`, the same answers, computed again only once they may differ. */
  heldAt(t: number, responseMs: number): HeldLimits {
    const cached = this.heldCache;
    if (cached !== undefined && cached.responseMs === responseMs && t >= cached.from && t < cached.until)
      return cached.held;
    const held = { limitAmps: this.limitAt(t, false), mayDrawAmps: this.mayDraw(t, responseMs) };
    this.heldCache = { responseMs, from: t, until: this.nextChange(t, responseMs), held };
    return held;
  }

  /**
   * The first instant after `t` at which `heldAt` may answer otherwise: a limit change or a sample takes effect, or a
   * limit change leaves the last `responseMs` (both count changes with `at <= t` and `at > t - responseMs`).
   */
  private nextChange(t: number, responseMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const change of this.limits)
      next = Math.min(next, change.at > t ? change.at : change.at + responseMs > t ? change.at + responseMs : next);
    for (const sample of this.samples) if (sample.at > t) next = Math.min(next, sample.at);
    return next;
  }

  /** The limit held at `t` (0 before the first change: no car drew before the session); cuts on their way count when `pending`. */
  limitAt(t: number, pending = true): number {
    let amps = 0;
    for (const change of this.limits) {
      if (change.at > t) break;
      if (pending || change.confirmed) amps = change.amps;
    }
    return amps;
  }

  /** The last sample taken at or before `t`, as it was (no cut since counted). */
  sampleAt(t: number): PhaseAmps | undefined {
    return this.samples.findLast((s) => s.at <= t)?.amps;
  }

  /**
   * What the car drew at least at `t`, per charger phase: its last sample taken at or before `t`, no more than the
   * lowest limit it held from that sample to `t` (a cut may have landed in between). Nothing without such a sample:
   * a sample taken after `t` may show a rise the meter had not seen yet.
   */
  lowerBound(t: number): PhaseAmps {
    const sample = this.samples.findLast((s) => s.at <= t);
    if (sample === undefined) return NONE;
    const lowest = this.lowest(sample.at, t);
    const amps = sample.amps;
    return [Math.min(amps[0], lowest), Math.min(amps[1], lowest), Math.min(amps[2], lowest)];
  }

  /**
   * The best estimate of the car's draw at `t`, per charger phase, for sharing current (never for safety), as a range.
   * A car follows its limit unless a sample showed it drawing clearly less (by `toleranceAmps`) than every limit it
   * held in the `responseMs` before, once its session was that old (a car still starting says nothing of what it can
   * draw). A car that follows draws its limit; after a cut it may still draw up to the highest limit of the last
   * `responseMs` (`high`) or already the new one (`low`), until a sample taken since shows it followed; after a raise
   * (or its start) it may still draw the lowest limit of the last `responseMs` (`low`) while it ramps. A car that drew
   * clearly less keeps its draw.
   */
  best(t: number, responseMs: number, toleranceAmps: number, phases: number): DrawRange {
    const high = this.mayDraw(t, responseMs);
    const low = Math.min(high, this.lowest(t - responseMs, t));
    const capped = (amps: PhaseAmps, limit: number): PhaseAmps => [
      Math.min(amps[0], limit),
      Math.min(amps[1], limit),
      Math.min(amps[2], limit),
    ];
    // Samples taken once the car had time to follow its present limit tell what it draws at it.
    const settled = this.settledDraw(t, responseMs)?.amps;
    if (settled !== undefined) return { high: capped(settled, high), low: capped(settled, low) };
    const sample = this.latest();
    const first = this.limits[0];
    const judged = sample !== undefined && first !== undefined && first.at <= sample.at - responseMs;
    if (!judged || Math.max(...sample.amps) >= this.lowest(sample.at - responseMs, sample.at) - toleranceAmps) {
      return { high: onPhases(high, phases), low: onPhases(low, phases) };
    }
    return { high: capped(sample.amps, high), low: capped(sample.amps, low) };
  }

  /**
   * The mean of the samples (at most the last four) taken at least `responseMs` after the limit in force at `t` began,
   * and agreeing with the newest of them, if any: the car's steady draw at that limit, without the noise. A car still
   * starting (many take longer than a limit change allows) or changing its own draw is told by its newest samples only.
   */
  private settledDraw(
    t: number,
    responseMs: number,
  ): { readonly amps: PhaseAmps; readonly count: number; readonly spanMs: number } | undefined {
    const changed = this.limits.findLast((c) => c.at <= t)?.at;
    if (changed === undefined) return undefined;
    // A car that had not started by a sample after the change (or stopped since) ramps from when it starts, which may
    // be long after: only its samples `responseMs` after the last one that showed it not drawing tell its draw. A mean
    // over its ramp set a closed-loop cap half the margin above its draw, which the samples' noise then released.
    const idle = this.samples.findLast((s) => s.at >= changed && s.at <= t && Math.max(...s.amps) < STARTED_AMPS);
    const since = Math.max(changed, idle?.at ?? changed);
    const recent = this.samples.filter((s) => s.at >= since + responseMs && s.at <= t).slice(-4);
    const newest = recent.at(-1);
    if (newest === undefined) return undefined;
    let first = recent.length - 1;
    while (first > 0 && agrees(recent[first - 1]!.amps, newest.amps)) first--;
    const agreeing = recent.slice(first);
    return { amps: meanOf(agreeing), count: agreeing.length, spanMs: newest.at - agreeing[0]!.at };
  }

  /**
   * The most the car may still draw at `t`: a car given `responseMs` to follow a cut may still draw its old limit,
   * unless a sample taken since the cut landed, and by `t`, shows it already within its new limit (one taken later
   * says nothing of `t`: the car may have been ramping down then).
   */
  mayDraw(t: number, responseMs: number): number {
    const highest = this.highest(t - responseMs, t);
    const limit = this.limitAt(t, false);
    if (highest <= limit) return limit;
    const landed = this.limits.findLast((c) => c.confirmed && c.at <= t)?.at ?? Infinity;
    const sample = this.samples.findLast((s) => s.at <= t);
    return sample !== undefined && sample.at >= landed && Math.max(...sample.amps) <= limit + FOLLOWED_AMPS
      ? limit
      : highest;
  }

  private lowest(from: number, to: number): number {
    let amps = this.limitAt(from);
    for (const change of this.limits) if (change.at > from && change.at <= to) amps = Math.min(amps, change.amps);
    return amps;
  }

  /** The highest confirmed limit held between `from` and `to`: a cut counts from its answer, when it surely landed. */
  private highest(from: number, to: number): number {
    let amps = this.limitAt(from, false);
    for (const change of this.limits)
      if (change.confirmed && change.at > from && change.at <= to) amps = Math.max(amps, change.amps);
    return amps;
  }
}

/** Two samples of a steady car differ by its noise, well under this. */
const AGREE_AMPS = 1;
const agrees = (a: PhaseAmps, b: PhaseAmps): boolean =>
  Math.abs(a[0] - b[0]) <= AGREE_AMPS && Math.abs(a[1] - b[1]) <= AGREE_AMPS && Math.abs(a[2] - b[2]) <= AGREE_AMPS;

function meanOf(samples: readonly Sample[]): PhaseAmps {
  const mean = (p: 0 | 1 | 2) => samples.reduce((sum, s) => sum + s.amps[p], 0) / samples.length;
  return [mean(0), mean(1), mean(2)];
}

function insertByTime<T extends { at: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.at > item.at) i--;
  list.splice(i, 0, item);
}
