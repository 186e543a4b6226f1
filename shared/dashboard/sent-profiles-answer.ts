/** The charging profiles the agent sent a charger, with its answers (`GET /api/chargers/:id/sent-profiles`), and the schema the page checks them with. */
import { z } from 'zod';

/** Which of the agent's profiles: the fail-safe default, the idle hold above it, or a lease for a transaction. */
export const SENT_PROFILE_KINDS = ['failSafe', 'idleHold', 'lease', 'other'] as const;

/** What became of the call: the charger's status (`Accepted`, `Rejected`, `NotSupported`), or why there is none. */
export const SENT_PROFILE_OUTCOMES = ['answered', 'pending', 'timeout', 'error', 'notConnected'] as const;

export const SentProfileViewSchema = z.object({
  /** When the call went out (epoch ms). */
  sentAt: z.number(),
  kind: z.enum(SENT_PROFILE_KINDS),
  chargingProfileId: z.number(),
  purpose: z.string(),
  stackLevel: z.number(),
  transactionId: z.number().nullable(),
  /** The schedule's unit, its periods, and how long it runs (seconds from its start) or until when it is valid. */
  rateUnit: z.enum(['A', 'W']),
  periods: z.array(z.object({ startPeriod: z.number(), limit: z.number(), numberPhases: z.number().optional() })),
  durationSeconds: z.number().nullable(),
  validTo: z.string().nullable(),
  outcome: z.enum(SENT_PROFILE_OUTCOMES),
  /** The charger's status when it answered; the CALLERROR code for `error`. */
  status: z.string().nullable(),
  answeredAt: z.number().nullable(),
});

export const SentProfilesAnswerSchema = z.object({
  chargerId: z.string(),
  /** Per connector (0: the charger as a whole, where the fail-safe and the idle hold go), the last sent, newest first. */
  connectors: z.array(z.object({ connectorId: z.number(), profiles: z.array(SentProfileViewSchema) })),
});

export type SentProfileView = z.output<typeof SentProfileViewSchema>;
export type SentProfilesAnswer = z.output<typeof SentProfilesAnswerSchema>;
