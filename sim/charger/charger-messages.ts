/** The central-system calls a virtual charger reads, parsed with zod on the charger side (ocpp-rpc strict mode checks the wire format). */
import { z } from 'zod';

const dateTime = z.iso.datetime({ offset: true }).transform((t) => Date.parse(t));

export const SimProfileSchema = z.object({
  chargingProfileId: z.number().int(),
  transactionId: z.number().int().optional(),
  stackLevel: z.number().int().nonnegative(),
  chargingProfilePurpose: z.enum(['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile']),
  chargingProfileKind: z.enum(['Absolute', 'Recurring', 'Relative']),
  recurrencyKind: z.enum(['Daily', 'Weekly']).optional(),
  validFrom: dateTime.optional(),
  validTo: dateTime.optional(),
  chargingSchedule: z.object({
    duration: z.number().int().optional(),
    startSchedule: dateTime.optional(),
    chargingRateUnit: z.enum(['A', 'W']),
    chargingSchedulePeriod: z
      .array(z.object({ startPeriod: z.number().int(), limit: z.number(), numberPhases: z.number().int().optional() }))
      .min(1),
  }),
});
export type SimProfile = z.output<typeof SimProfileSchema>;

export const SetChargingProfileSchema = z.object({
  connectorId: z.number().int().nonnegative(),
  csChargingProfiles: SimProfileSchema,
});
export const ClearChargingProfileSchema = z.object({
  id: z.number().int().optional(),
  connectorId: z.number().int().optional(),
  chargingProfilePurpose: z.enum(['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile']).optional(),
  stackLevel: z.number().int().optional(),
});
export type ClearRequest = z.output<typeof ClearChargingProfileSchema>;
export const GetCompositeScheduleSchema = z.object({
  connectorId: z.number().int(),
  duration: z.number().int().positive(),
  chargingRateUnit: z.enum(['A', 'W']).optional(),
});
export const ChangeConfigurationSchema = z.object({ key: z.string(), value: z.string() });
export const GetConfigurationSchema = z.object({ key: z.array(z.string()).optional() });
export const RemoteStartSchema = z.object({ connectorId: z.number().int().optional(), idTag: z.string() });
export const RemoteStopSchema = z.object({ transactionId: z.number().int() });
export const TriggerMessageSchema = z.object({
  requestedMessage: z.string(),
  connectorId: z.number().int().optional(),
});
export const StartTransactionResponseSchema = z.object({
  transactionId: z.number().int(),
  idTagInfo: z.object({ status: z.string() }),
});
export const IdTagInfoResponseSchema = z.object({ idTagInfo: z.object({ status: z.string() }) });
export const BootResponseSchema = z.object({
  status: z.enum(['Accepted', 'Pending', 'Rejected']),
  interval: z.number().int(),
});
export const ResetSchema = z.object({ type: z.enum(['Hard', 'Soft']) });
export const ChangeAvailabilitySchema = z.object({
  connectorId: z.number().int(),
  type: z.enum(['Inoperative', 'Operative']),
});
export const UnlockConnectorSchema = z.object({ connectorId: z.number().int() });
