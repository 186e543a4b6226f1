/**
 * What the chargers may draw for the rest of a demand period so that the period's average import stays under its
 * target: the energy the target allows for the whole period, less what was imported so far, less what the other load
 * is forecast to take until the end, spread over the time left. Charging harder early in a quiet period is fine: the
 * room is what the whole period allows, not a fixed share of it.
 */
import type { Policy } from '../policy/policy-schema';
import type { DemandPeriod } from './demand-period';

export interface DemandTargetSettings {
  /** A fixed cap on the period's average import (kW); null: none. */
  readonly targetKw: number | null;
  /** Never raise the month's peak already reached (but never below `floorKw`). */
  readonly followMonthPeak: boolean;
  readonly floorKw: number;
}

/** The period's target average import (kW), given the highest period average of the month so far; Infinity: none. */
export function periodTargetKw(settings: DemandTargetSettings, monthPeakKw: number): number {
  const fixed = settings.targetKw ?? Number.POSITIVE_INFINITY;
  const follow = settings.followMonthPeak ? Math.max(settings.floorKw, monthPeakKw) : Number.POSITIVE_INFINITY;
  return Math.min(fixed, follow);
}

export interface DemandRoomInput {
  readonly period: DemandPeriod;
  readonly now: number;
  readonly targetKw: number;
  /** Kept back from the target for the forecast's error and the cars' response to a cut. */
  readonly marginKw: number;
  /** Energy imported since the period started. */
  readonly importedWh: number;
  /** The other load's forecast power for the rest of the period (W). */
  readonly otherWatts: number;
  /**
   * The time left is counted as at least this long, so the last seconds of a period do not hand out its whole
   * leftover room at once: cars raised then would still draw it in the next period's first seconds.
   */
  readonly minLeftMs: number;
}

export interface DemandRoom {
  /** The chargers' power for the rest of the period (W, at least 0). */
  readonly chargerWatts: number;
  /** The period's average (kW) if the other load follows its forecast and the chargers take all of their room. */
  readonly forecastKw: number;
}

const MS_PER_HOUR = 3_600_000;

/** The time left in a period counts as at least this (`DemandRoomInput.minLeftMs`): the controller and previews. */
export const DEMAND_MIN_LEFT_MS = 120_000;

/** The budget's floor as power (W): the chargers keep `budget.min` whatever the demand target, as for schedules. */
export function budgetFloorW(policy: Policy, nominalVolts: number): number {
  const { unit, min } = policy.budget;
  return unit === 'kW' ? min * 1000 : min * 3 * nominalVolts;
}

/** The chargers' room for the rest of the period. */
export function demandRoom(input: DemandRoomInput): DemandRoom {
  const periodHours = (input.period.end - input.period.start) / MS_PER_HOUR;
  const leftHours = Math.max(0, input.period.end - input.now) / MS_PER_HOUR;
  const allowedWh = Math.max(0, input.targetKw - input.marginKw) * 1000 * periodHours;
  const roomWh = allowedWh - input.importedWh - input.otherWatts * leftHours;
  const chargerWatts = Math.max(0, roomWh / Math.max(leftHours, input.minLeftMs / MS_PER_HOUR));
  const endWh = input.importedWh + (input.otherWatts + chargerWatts) * leftHours;
  return { chargerWatts, forecastKw: endWh / periodHours / 1000 };
}
