/**
 * One CSMS charging profile in time (OCPP 1.6 §3.13, §7.8, §7.13): which schedule period is in force at an instant, and
 * the next instant at which that may change. Times are epoch milliseconds; schedule offsets are seconds.
 */
import type { CsmsProfile } from './csms-profile-schema';

const DAY_MS = 86_400_000;
const CYCLE_MS = { Daily: DAY_MS, Weekly: 7 * DAY_MS } as const;

/** A schedule period in force: its limit in the schedule's unit and the phases it allows. */
export interface PeriodInForce {
  readonly limit: number;
  readonly unit: 'A' | 'W';
  /** OCPP's default when absent is 3. */
  readonly numberPhases: number | undefined;
}

/**
 * When the schedule (or, for a Recurring profile, the cycle that holds `at`) starts. A Relative profile, and an Absolute
 * one without `startSchedule` ("relative to the start of charging"), start at `sessionStart`.
 */
function scheduleStart(profile: CsmsProfile, at: number, sessionStart: number): number {
  const { startSchedule } = profile.chargingSchedule;
  if (profile.chargingProfileKind === 'Relative' || startSchedule === undefined) return sessionStart;
  if (profile.chargingProfileKind === 'Absolute' || profile.recurrencyKind === undefined) return startSchedule;
  const cycle = CYCLE_MS[profile.recurrencyKind];
  return startSchedule + Math.floor((at - startSchedule) / cycle) * cycle;
}

function isValidAt(profile: CsmsProfile, at: number): boolean {
  return (
    (profile.validFrom === undefined || at >= profile.validFrom) &&
    (profile.validTo === undefined || at < profile.validTo)
  );
}

/**
 * The period of `profile` in force at `at`, or undefined when the profile does not cover that instant: outside
 * validFrom..validTo, before its schedule starts or its first period, or after its `duration`. Without a duration the
 * last period holds on (for a Recurring profile, until the next cycle starts).
 */
export function periodAt(profile: CsmsProfile, at: number, sessionStart: number): PeriodInForce | undefined {
  if (!isValidAt(profile, at)) return undefined;
  const { duration, chargingSchedulePeriod, chargingRateUnit } = profile.chargingSchedule;
  const offsetSeconds = (at - scheduleStart(profile, at, sessionStart)) / 1000;
  if (offsetSeconds < 0 || (duration !== undefined && offsetSeconds >= duration)) return undefined;
  let inForce: (typeof chargingSchedulePeriod)[number] | undefined;
  for (const period of chargingSchedulePeriod) {
    if (period.startPeriod > offsetSeconds) break;
    inForce = period;
  }
  return inForce && { limit: inForce.limit, unit: chargingRateUnit, numberPhases: inForce.numberPhases };
}

/** The first instant after `at` at which `periodAt` may answer differently, or undefined if it never will. */
export function nextBoundary(profile: CsmsProfile, at: number, sessionStart: number): number | undefined {
  const start = scheduleStart(profile, at, sessionStart);
  const { duration, chargingSchedulePeriod } = profile.chargingSchedule;
  const candidates = [profile.validFrom, profile.validTo, duration === undefined ? undefined : start + duration * 1000];
  for (const period of chargingSchedulePeriod) candidates.push(start + period.startPeriod * 1000);
  if (profile.chargingProfileKind === 'Recurring' && profile.recurrencyKind !== undefined)
    candidates.push(start + CYCLE_MS[profile.recurrencyKind]);
  let next: number | undefined;
  for (const candidate of candidates)
    if (candidate !== undefined && candidate > at && (next === undefined || candidate < next)) next = candidate;
  return next;
}
