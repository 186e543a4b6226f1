/** What the dashboard's charger configuration API answers (edge/dashboard/routes/charger-configuration-routes.ts), and the schemas the page checks them with. */
import { z } from 'zod';

export const ConfigurationKeyViewSchema = z.object({
  key: z.string(),
  readonly: z.boolean(),
  value: z.string().nullable(),
  /** Why the agent sets or reads this key itself (a change may be undone or break control), when it does. */
  managed: z.string().nullable(),
  /** The reason `managed` is said with (`managedKey.…`, shared/managed-key-messages.ts); null with it. */
  managedReason: z.string().nullable(),
});

export const ChargerConfigurationAnswerSchema = z.object({
  chargerId: z.string(),
  keys: z.array(ConfigurationKeyViewSchema),
  unknownKeys: z.array(z.string()),
});

/** The charger's answer to a ChangeConfiguration, Reset, UnlockConnector or TriggerMessage. */
export const ChargerCallAnswerSchema = z.object({ chargerId: z.string(), status: z.string() });

const SchedulePeriodSchema = z.object({
  startPeriod: z.number(),
  limit: z.number(),
  numberPhases: z.number().optional(),
});

export const ChargerSchedulesAnswerSchema = z.object({
  chargerId: z.string(),
  connectors: z.array(
    z.object({
      connectorId: z.number(),
      /** What the agent's allocation in force gives the connector, and why. */
      allocatedAmps: z.number().nullable(),
      reason: z.string().nullable(),
      /** The charger's composite schedule (GetCompositeSchedule), or why there is none. */
      composite: z.union([
        z.object({
          status: z.enum(['Accepted', 'Rejected']),
          scheduleStart: z.string().nullable(),
          chargingRateUnit: z.enum(['A', 'W']).nullable(),
          periods: z.array(SchedulePeriodSchema),
        }),
        z.object({ error: z.string() }),
      ]),
    }),
  ),
});

export type ConfigurationKeyView = z.output<typeof ConfigurationKeyViewSchema>;
export type ChargerConfigurationAnswer = z.output<typeof ChargerConfigurationAnswerSchema>;
export type ChargerCallAnswer = z.output<typeof ChargerCallAnswerSchema>;
export type ChargerSchedulesAnswer = z.output<typeof ChargerSchedulesAnswerSchema>;
