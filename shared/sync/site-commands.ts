/** Commands from the cloud to a site gateway on `gatewayCommandTopic`, and the gateway's answers on `gatewayCommandResultTopic`. */
import { z } from 'zod';
import { patternMessage } from '../reasoned-issue';
import { IdSchema } from '../site/site-schema';

const EpochMsSchema = z.number().int().nonnegative();
const ConnectorIdSchema = z.number().int().min(1).max(99);

const RemoteStartSchema = z
  .object({
    type: z.literal('remoteStart'),
    chargerId: IdSchema,
    connectorId: ConnectorIdSchema,
    idTag: z.string().min(1).max(20),
  })
  .strict();
/** Stops the session running on the connector (the gateway knows its transaction id). */
const RemoteStopSchema = z
  .object({ type: z.literal('remoteStop'), chargerId: IdSchema, connectorId: ConnectorIdSchema })
  .strict();
const ResetSchema = z
  .object({ type: z.literal('reset'), chargerId: IdSchema, resetType: z.enum(['Soft', 'Hard']).default('Soft') })
  .strict();
const UnlockSchema = z
  .object({ type: z.literal('unlock'), chargerId: IdSchema, connectorId: ConnectorIdSchema })
  .strict();
/** Asks for a fresh telemetry sample and charger statuses at once, outside the regular interval. */
const RequestReportSchema = z.object({ type: z.literal('requestReport') }).strict();

export const SiteCommandBodySchema = z.discriminatedUnion('type', [
  RemoteStartSchema,
  RemoteStopSchema,
  ResetSchema,
  UnlockSchema,
  RequestReportSchema,
]);

/** One command: its id makes it idempotent (a gateway runs and answers each id once). */
export const SiteCommandSchema = z
  .object({
    v: z.literal(1),
    commandId: z.string().regex(/^[A-Za-z0-9._:-]{8,64}$/, patternMessage('site.commandId')),
    siteId: IdSchema,
    issuedAt: EpochMsSchema,
    /** After this the gateway refuses the command (a remote start queued through a long outage is no longer wanted). */
    expiresAt: EpochMsSchema.optional(),
    command: SiteCommandBodySchema,
  })
  .strict();

/**
 * Reasons a command was not done: `invalid`, `wrongSite`, `expired`, `unknownCharger`, `unknownConnector`, `noSession`
 * (rejected by the gateway), `chargerRejected` (rejected by the charger), `notConnected`, `timeout`, `error` (failed).
 */
export const SITE_COMMAND_REASONS = [
  'invalid',
  'wrongSite',
  'expired',
  'unknownCharger',
  'unknownConnector',
  'noSession',
  'chargerRejected',
  'notConnected',
  'timeout',
  'error',
] as const;

/** What came of a command: `done` (the charger accepted, or the report was queued), `rejected` or `failed`. */
export const SiteCommandOutcomeSchema = z
  .object({
    status: z.enum(['done', 'rejected', 'failed']),
    reason: z.enum(SITE_COMMAND_REASONS).optional(),
    message: z.string().max(500).optional(),
  })
  .strict();

/** The gateway's answer to one command id. */
export const SiteCommandResultSchema = SiteCommandOutcomeSchema.extend({
  v: z.literal(1),
  commandId: z.string().min(1).max(64),
  siteId: IdSchema,
  at: EpochMsSchema,
}).strict();

export type SiteCommand = z.output<typeof SiteCommandSchema>;
export type SiteCommandBody = z.output<typeof SiteCommandBodySchema>;
export type SiteCommandOutcome = z.output<typeof SiteCommandOutcomeSchema>;
export type SiteCommandReason = (typeof SITE_COMMAND_REASONS)[number];
export type SiteCommandResult = z.output<typeof SiteCommandResultSchema>;
