/**
 * The charging-profile calls an operator's CSMS sends (OCPP 1.6 SetChargingProfile.req and ClearChargingProfile.req),
 * checked beyond the JSON schema: dates parsed, periods in order, the purpose on a connector it may use, and a size limit.
 */
import { z } from 'zod';
import {
  ChargingProfileSchema,
  ChargingSchedulePeriodSchema,
  ChargingScheduleSchema,
  CHARGING_PROFILE_PURPOSES,
} from '../ocpp/charging-profile';
import { OcppDateTimeSchema } from '../ocpp/ocpp-values';

/** Periods one schedule may carry: chargers advertise 24 to 48 (`ChargingScheduleMaxPeriods`); more is not a real schedule. */
export const MAX_CSMS_PERIODS = 96;

const CsmsScheduleSchema = ChargingScheduleSchema.extend({
  startSchedule: OcppDateTimeSchema.optional(),
  chargingSchedulePeriod: z
    .array(ChargingSchedulePeriodSchema)
    .min(1)
    .max(MAX_CSMS_PERIODS)
    .refine((periods) => periods.every((p, i) => i === 0 || p.startPeriod > (periods[i - 1]?.startPeriod ?? 0)), {
      message: 'startPeriod must increase from one period to the next',
    }),
});

const CsmsProfileSchema = ChargingProfileSchema.extend({
  validFrom: OcppDateTimeSchema.optional(),
  validTo: OcppDateTimeSchema.optional(),
  chargingSchedule: CsmsScheduleSchema,
})
  .refine((p) => p.chargingProfileKind !== 'Recurring' || p.recurrencyKind !== undefined, {
    message: 'a Recurring profile needs a recurrencyKind',
    path: ['recurrencyKind'],
  })
  .refine((p) => p.chargingProfileKind !== 'Recurring' || p.chargingSchedule.startSchedule !== undefined, {
    message: 'a Recurring profile needs a startSchedule',
    path: ['chargingSchedule', 'startSchedule'],
  })
  .refine((p) => p.validFrom === undefined || p.validTo === undefined || p.validFrom < p.validTo, {
    message: 'validTo must be after validFrom',
    path: ['validTo'],
  });

export const CsmsSetProfileSchema = z
  .object({ connectorId: z.number().int().nonnegative(), csChargingProfiles: CsmsProfileSchema })
  .refine((r) => r.csChargingProfiles.chargingProfilePurpose !== 'ChargePointMaxProfile' || r.connectorId === 0, {
    message: 'a ChargePointMaxProfile is set on connector 0',
    path: ['connectorId'],
  })
  .refine((r) => r.csChargingProfiles.chargingProfilePurpose !== 'TxProfile' || r.connectorId > 0, {
    message: 'a TxProfile is set on a connector, not on 0',
    path: ['connectorId'],
  });

export const CsmsClearSchema = z.object({
  id: z.number().int().optional(),
  connectorId: z.number().int().nonnegative().optional(),
  chargingProfilePurpose: z.enum(CHARGING_PROFILE_PURPOSES).optional(),
  stackLevel: z.number().int().nonnegative().optional(),
});

/** A CSMS profile as kept: dates as epoch milliseconds. */
export type CsmsProfile = z.output<typeof CsmsProfileSchema>;
export type CsmsClear = z.output<typeof CsmsClearSchema>;

/** A CSMS profile and the connector it was set on (0: the whole charger). */
export interface StoredProfile {
  readonly connectorId: number;
  readonly profile: CsmsProfile;
}
