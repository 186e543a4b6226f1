/** Pure builders for the charging profiles we send: the fail-safe default and leased transaction limits. */
import { AppError } from '../../shared/errors';
import { wattsFromAmps } from '../../shared/units';
import {
  FAIL_SAFE_PROFILE_ID,
  FAIL_SAFE_STACK_LEVEL,
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

export interface LeaseSpec extends LimitSpec {
  readonly connectorId: number;
  readonly transactionId: number;
  /** How long the limit holds unless renewed. */
  readonly leaseSeconds: number;
}

/**
 * A dynamic limit for a running transaction as a TxProfile that expires: both `validTo` and the schedule `duration`
 * end at now + lease, so a charger that loses its controller drops back to the fail-safe default.
 */
export function buildLeaseProfile(spec: LeaseSpec, rate: RateSettings, now: number): ChargingProfile {
  if (!Number.isInteger(spec.leaseSeconds) || spec.leaseSeconds <= 0) {
    throw new AppError('message.invalid', `lease must be a whole positive number of seconds, got ${spec.leaseSeconds}`);
  }
  const start = ocppDateTime(now);
  return {
    chargingProfileId: LEASE_PROFILE_ID_BASE + spec.connectorId,
    transactionId: spec.transactionId,
    stackLevel: LEASE_STACK_LEVEL,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Absolute',
    validFrom: start,
    validTo: ocppDateTime(Date.parse(start) + spec.leaseSeconds * 1000),
    chargingSchedule: {
      startSchedule: start,
      duration: spec.leaseSeconds,
      chargingRateUnit: rate.rateUnit,
      chargingSchedulePeriod: [{ startPeriod: 0, limit: scheduleLimit(spec, rate), numberPhases: spec.phases }],
    },
  };
}
