/** OCPP 1.6 smart charging: charging profiles and schedules, and the stack levels and profile ids we use. */
import { z } from 'zod';

export const CHARGING_PROFILE_PURPOSES = ['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'] as const;
export type ChargingProfilePurpose = (typeof CHARGING_PROFILE_PURPOSES)[number];
export type ChargingRateUnit = 'A' | 'W';

/** A limit as OCPP carries it: a multiple of 0.1. */
const limit = z.number().nonnegative().multipleOf(0.1);

export const ChargingSchedulePeriodSchema = z.object({
  startPeriod: z.number().int().nonnegative(),
  limit,
  numberPhases: z.number().int().min(1).max(3).optional(),
});

export const ChargingScheduleSchema = z.object({
  duration: z.number().int().positive().optional(),
  startSchedule: z.string().optional(),
  chargingRateUnit: z.enum(['A', 'W']),
  chargingSchedulePeriod: z.array(ChargingSchedulePeriodSchema).min(1),
  minChargingRate: limit.optional(),
});

export const ChargingProfileSchema = z.object({
  chargingProfileId: z.number().int(),
  transactionId: z.number().int().optional(),
  stackLevel: z.number().int().nonnegative(),
  chargingProfilePurpose: z.enum(CHARGING_PROFILE_PURPOSES),
  chargingProfileKind: z.enum(['Absolute', 'Recurring', 'Relative']),
  recurrencyKind: z.enum(['Daily', 'Weekly']).optional(),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
  chargingSchedule: ChargingScheduleSchema,
});

export type ChargingSchedule = z.output<typeof ChargingScheduleSchema>;
export type ChargingProfile = z.output<typeof ChargingProfileSchema>;

/**
 * Stack levels and profile ids (see docs/ocpp.md).
 * The fail-safe default lives at the bottom of the TxDefaultProfile stack; leases sit above it as TxProfiles,
 * so that when a lease lapses the charger falls back to the fail-safe on its own.
 */
export const FAIL_SAFE_STACK_LEVEL = 0;
export const LEASE_STACK_LEVEL = 1;
export const FAIL_SAFE_PROFILE_ID = 1;
/** The idle hold: a 0 A TxDefaultProfile above the fail-safe, renewed like a lease (edge/control/idle-holds.ts). */
export const IDLE_HOLD_STACK_LEVEL = 1;
export const IDLE_HOLD_PROFILE_ID = 2;
/** Lease profile ids are this plus the connector id, so a new lease replaces the previous one on its connector. */
export const LEASE_PROFILE_ID_BASE = 100;
