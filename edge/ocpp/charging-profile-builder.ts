/** Pure builders for the charging profiles we send: the fail-safe default and leased transaction limits. */
import { AppError } from '../../shared/errors';
import { wattsFromAmps } from '../../shared/units';
import {
  FAIL_SAFE_PROFILE_ID,
  FAIL_SAFE_STACK_LEVEL,
  IDLE_HOLD_PROFILE_ID,
  IDLE_HOLD_STACK_LEVEL,
  LEASE_PROFILE_ID_BASE,
  LEASE_STACK_LEVEL,
  type ChargingProfile,
  type ChargingRateUnit,
} from './charging-profile';
import { ocppDateTime } from './ocpp-values';

/** How a limit is expressed for one charger. */
export interface RateSettings {
  readonly rateUnit: ChargingRateUnit;
  /** Line-to-neutral volts, to turn amps into watts for chargers that only take `W`. */
  readonly nominalVolts: number;
}

export interface LimitSpec {
  readonly amps: number;
  /** Phases the limit applies to (the car's or the charger's). */
  readonly phases: 1 | 2 | 3;
  /** The lowest current at which a car can charge; a limit is 0 or at least this. */
  readonly minAmps: number;
}

/** The rate unit to use given a charger's `ChargingScheduleAllowedChargingRateUnit` (e.g. `Current,Power`). */
export function chooseRateUnit(allowed: string | undefined): ChargingRateUnit {
  if (allowed === undefined) return 'A';
  const units = allowed.split(',').map((u) => u.trim().toLowerCase());
  return units.includes('current') || !units.includes('power') ? 'A' : 'W';
}

/**
 * How far back the schedules we send start (`validFrom` and `startSchedule`), while their ends stay where the lease
 * and the hold end by our clock. An Absolute profile is not in force before its start by the charger's clock, so a
 * charger whose clock is behind ours would otherwise ignore a new lease (or hold) for that long and run on what is
 * below it in its stack: its fail-safe, which can be more than the cut it was just sent, or the 0 A hold, which pauses
 * the car. Chargers set their clocks from our Heartbeat and BootNotification answers; five minutes is the drift we
 * also accept in the times they report (`CLOCK_LIMITS.aheadMs`). A clock ahead of ours ends a lease or hold early by
 * its skew, which the hold's cover margin absorbs (edge/control/idle-holds.ts); starting earlier cannot harm a charger
 * whose clock is right: the profile replaces the previous one with its id at once either way.
 */
export const SCHEDULE_BACKDATE_SECONDS = 300;

/** Rounds down to OCPP's 0.1 step, so a limit never exceeds what was allocated. */
function toTenths(value: number): number {
  return Math.floor(value * 10 + 1e-9) / 10;
}

/** The per-period limit in the charger's unit; refuses limits between 0 and the minimum. */
export function scheduleLimit(spec: LimitSpec, rate: RateSettings): number {
  if (!(spec.amps >= 0) || (spec.amps > 0 && spec.amps < spec.minAmps)) {
    throw new AppError('message.invalid', `limit ${spec.amps} A must be 0 or at least ${spec.minAmps} A`);
  }
  const value = rate.rateUnit === 'A' ? spec.amps : wattsFromAmps(spec.amps, spec.phases, rate.nominalVolts);
  return toTenths(value);
}

/**
 * The fail-safe default: a TxDefaultProfile on connector 0 at stack level 0, relative to each transaction's start and
 * without expiry, so every transaction runs at this limit whenever no lease is in force.
 */
export function buildFailSafeProfile(spec: LimitSpec, rate: RateSettings): ChargingProfile {
  return {
    chargingProfileId: FAIL_SAFE_PROFILE_ID,
    stackLevel: FAIL_SAFE_STACK_LEVEL,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: rate.rateUnit,
      chargingSchedulePeriod: [{ startPeriod: 0, limit: scheduleLimit(spec, rate), numberPhases: spec.phases }],
    },
  };
}

/**
 * The idle hold: a 0 A TxDefaultProfile on connector 0 one stack level above the fail-safe, valid for `holdSeconds`
 * from now. A car that plugs in gets nothing until its lease arrives; a charger nobody renews it for falls back to its
 * fail-safe once it ends.
 */
export function buildIdleHoldProfile(holdSeconds: number, rate: RateSettings, now: number): ChargingProfile {
  if (!Number.isInteger(holdSeconds) || holdSeconds <= 0) {
    throw new AppError('message.invalid', `hold must be a whole positive number of seconds, got ${holdSeconds}`);
  }
  const { start, end } = backdated(now, holdSeconds);
  return {
    chargingProfileId: IDLE_HOLD_PROFILE_ID,
    stackLevel: IDLE_HOLD_STACK_LEVEL,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    validFrom: start,
    validTo: end,
    chargingSchedule: {
      startSchedule: start,
      duration: holdSeconds + SCHEDULE_BACKDATE_SECONDS,
      chargingRateUnit: rate.rateUnit,
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }],
    },
  };
}

export interface LeaseSpec extends LimitSpec {
  readonly connectorId: number;
  readonly transactionId: number;
  /** How long the limit holds unless renewed. */
  readonly leaseSeconds: number;
  /**
   * The fail-safe the transaction falls back to after the lease, as the schedule's last period (the profile then has
   * no end); without it (a charger that takes one period only) the profile ends with the lease.
   */
  readonly fallbackAmps?: number;
}

/**
 * A dynamic limit for a running transaction as an Absolute TxProfile: `amps` for `leaseSeconds` from now, then the
 * fail-safe `fallbackAmps` until the transaction ends. A charger that loses its controller so drops back to its
 * fail-safe on its own, and never to the idle hold (a 0 A default meant for cars that have no lease yet). Without a
 * fallback, `validTo` and the schedule's `duration` end the profile with the lease, and the charger's default stack
 * applies after it.
 */
export function buildLeaseProfile(spec: LeaseSpec, rate: RateSettings, now: number): ChargingProfile {
  if (!Number.isInteger(spec.leaseSeconds) || spec.leaseSeconds <= 0) {
    throw new AppError('message.invalid', `lease must be a whole positive number of seconds, got ${spec.leaseSeconds}`);
  }
  const { start, end } = backdated(now, spec.leaseSeconds);
  const lease = { startPeriod: 0, limit: scheduleLimit(spec, rate), numberPhases: spec.phases };
  const common = {
    chargingProfileId: LEASE_PROFILE_ID_BASE + spec.connectorId,
    transactionId: spec.transactionId,
    stackLevel: LEASE_STACK_LEVEL,
    chargingProfilePurpose: 'TxProfile' as const,
    chargingProfileKind: 'Absolute' as const,
    validFrom: start,
  };
  if (spec.fallbackAmps !== undefined) {
    // A fail-safe below the car's minimum would be refused as a limit: it falls to 0 instead, never above.
    const fallback = spec.fallbackAmps >= spec.minAmps ? spec.fallbackAmps : 0;
    const tail = {
      startPeriod: spec.leaseSeconds + SCHEDULE_BACKDATE_SECONDS,
      limit: scheduleLimit({ ...spec, amps: fallback }, rate),
      numberPhases: spec.phases,
    };
    return {
      ...common,
      chargingSchedule: {
        startSchedule: start,
        chargingRateUnit: rate.rateUnit,
        chargingSchedulePeriod: [lease, tail],
      },
    };
  }
  return {
    ...common,
    validTo: end,
    chargingSchedule: {
      startSchedule: start,
      duration: spec.leaseSeconds + SCHEDULE_BACKDATE_SECONDS,
      chargingRateUnit: rate.rateUnit,
      chargingSchedulePeriod: [lease],
    },
  };
}

/** A schedule's start, `SCHEDULE_BACKDATE_SECONDS` before `now`, and its end `seconds` after `now` (whole seconds). */
function backdated(now: number, seconds: number): { start: string; end: string } {
  const start = ocppDateTime(now - SCHEDULE_BACKDATE_SECONDS * 1000);
  return { start, end: ocppDateTime(Date.parse(start) + (SCHEDULE_BACKDATE_SECONDS + seconds) * 1000) };
}
