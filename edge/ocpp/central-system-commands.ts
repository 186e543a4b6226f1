/** Calls the central system sends to a charge point (OCPP 1.6): request types and response schemas, one entry per command. */
import { z } from 'zod';
import { ChargingProfileSchema, ChargingScheduleSchema, CHARGING_PROFILE_PURPOSES } from './charging-profile';
import { IdTagSchema } from './ocpp-values';

const connectorId = z.number().int().nonnegative();
const status = <const T extends readonly [string, ...string[]]>(values: T) => z.object({ status: z.enum(values) });

export const TRIGGERABLE_MESSAGES = [
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
] as const;

/** Each command's request schema, response schema and the response statuses that mean the charger will do it. */
export const COMMANDS = {
  SetChargingProfile: {
    request: z.object({ connectorId, csChargingProfiles: ChargingProfileSchema }),
    response: status(['Accepted', 'Rejected', 'NotSupported']),
  },
  ClearChargingProfile: {
    request: z.object({
      id: z.number().int().optional(),
      connectorId: connectorId.optional(),
      chargingProfilePurpose: z.enum(CHARGING_PROFILE_PURPOSES).optional(),
      stackLevel: z.number().int().nonnegative().optional(),
    }),
    response: status(['Accepted', 'Unknown']),
  },
  GetCompositeSchedule: {
    request: z.object({
      connectorId,
      duration: z.number().int().positive(),
      chargingRateUnit: z.enum(['A', 'W']).optional(),
    }),
    response: z.object({
      status: z.enum(['Accepted', 'Rejected']),
      connectorId: connectorId.optional(),
      scheduleStart: z.string().optional(),
      chargingSchedule: ChargingScheduleSchema.optional(),
    }),
  },
  ChangeConfiguration: {
    request: z.object({ key: z.string().max(50), value: z.string().max(500) }),
    response: status(['Accepted', 'Rejected', 'RebootRequired', 'NotSupported']),
  },
  GetConfiguration: {
    request: z.object({ key: z.array(z.string().max(50)).optional() }),
    response: z.object({
      configurationKey: z
        .array(z.object({ key: z.string(), readonly: z.boolean(), value: z.string().optional() }))
        .optional(),
      unknownKey: z.array(z.string()).optional(),
    }),
  },
  RemoteStartTransaction: {
    request: z.object({
      connectorId: connectorId.min(1).optional(),
      idTag: IdTagSchema,
      chargingProfile: ChargingProfileSchema.optional(),
    }),
    response: status(['Accepted', 'Rejected']),
  },
  RemoteStopTransaction: {
    request: z.object({ transactionId: z.number().int() }),
    response: status(['Accepted', 'Rejected']),
  },
  TriggerMessage: {
    request: z.object({ requestedMessage: z.enum(TRIGGERABLE_MESSAGES), connectorId: connectorId.optional() }),
    response: status(['Accepted', 'Rejected', 'NotImplemented']),
  },
  Reset: {
    request: z.object({ type: z.enum(['Hard', 'Soft']) }),
    response: status(['Accepted', 'Rejected']),
  },
  ChangeAvailability: {
    request: z.object({ connectorId, type: z.enum(['Inoperative', 'Operative']) }),
    response: status(['Accepted', 'Rejected', 'Scheduled']),
  },
  UnlockConnector: {
    request: z.object({ connectorId: connectorId.min(1) }),
    response: status(['Unlocked', 'UnlockFailed', 'NotSupported']),
  },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandRequest<K extends CommandName> = z.input<(typeof COMMANDS)[K]['request']>;
export type CommandResponse<K extends CommandName> = z.output<(typeof COMMANDS)[K]['response']>;

/** Response statuses that mean the charger accepted (a change needing a reboot or a scheduled one is still accepted). */
const ACCEPTED_STATUSES: ReadonlySet<string> = new Set(['Accepted', 'Unlocked', 'RebootRequired', 'Scheduled']);

/** True when a command's response says the charger took it; responses without a status (GetConfiguration) count as taken. */
export function isAccepted(response: object): boolean {
  return !('status' in response) || (typeof response.status === 'string' && ACCEPTED_STATUSES.has(response.status));
}
