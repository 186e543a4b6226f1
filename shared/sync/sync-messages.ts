/** Payloads between a site and the cloud, defined once and validated on both sides. */
import { z } from 'zod';
import { PolicySchema, type Policy } from '../policy/policy-schema';
import type { FieldIssue } from '../errors';
import { addReasonedIssue } from '../reasoned-issue';
import { fieldIssues } from '../validation';
import { IdSchema } from '../site/site-schema';
import { ClusterFiguresSchema } from './cluster-figures';
import { EVENT_KINDS, EventReasonFields, isReasonOf } from './event-reasons';

const amps = z.number().finite().min(-100_000).max(100_000);
const PhaseAmpsSchema = z.tuple([amps, amps, amps]);
const EpochMsSchema = z.number().int().nonnegative();

/** AWS IoT Core's largest message. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
/** Most messages in one batch. */
export const MAX_BATCH_MESSAGES = 100;

/** A site in front of an operator's CSMS: its chargers' links to it, and what waits for it (docs/csms.md). */
export const CsmsLinkHealthSchema = z
  .object({
    chargers: z.number().int().nonnegative().max(100_000),
    /** Chargers connected to the agent whose link to the CSMS is open (a link kept only to deliver a backlog counts not). */
    connected: z.number().int().nonnegative().max(100_000),
    /** Transaction messages queued for the CSMS, and when the oldest was queued. */
    backlogMessages: z.number().int().nonnegative(),
    oldestQueuedAt: EpochMsSchema.optional(),
    /** Messages set aside (refused by the CSMS, or naming a transaction it closed). */
    setAside: z.number().int().nonnegative(),
  })
  .strict();

/**
 * Peak-demand control's month so far (docs/demand-control.md): the highest certain period average, and the agent's
 * estimate of the highest one the site would have reached with the chargers uncapped (the period's other load plus
 * every car drawing the most it takes), for the console's money saved.
 */
export const DemandMonthReportSchema = z
  .object({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    periodMinutes: z.number().int().min(1).max(60),
    /** The month's highest certain period average so far (kW); 0 before a certain period closed. */
    peakKw: z.number().finite().nonnegative().max(1_000_000),
    /** When the period of that peak started (epoch ms). */
    peakAt: EpochMsSchema.optional(),
    /** The highest period average without control, estimated (kW). */
    uncontrolledPeakKw: z.number().finite().nonnegative().max(1_000_000),
  })
  .strict();

/** One load sample of the site, for charts and alerts. */
export const TelemetryBodySchema = z
  .object({
    gridAmps: PhaseAmpsSchema.optional(),
    evAmps: PhaseAmpsSchema,
    limitAmps: PhaseAmpsSchema,
    fuseAmps: PhaseAmpsSchema,
    budget: z.object({ unit: z.enum(['kW', 'A']), value: z.number().finite().nonnegative() }).strict(),
    meter: z.enum(['none', 'ok', 'lost']),
    charging: z.number().int().nonnegative(),
    paused: z.number().int().nonnegative(),
    /** Only for a site in front of an operator's CSMS. */
    csms: CsmsLinkHealthSchema.optional(),
    /** Only while peak-demand control is on. */
    demand: DemandMonthReportSchema.optional(),
    /** Only on a node of a cluster: its role, term and health (shared/sync/cluster-figures.ts). */
    cluster: ClusterFiguresSchema.optional(),
  })
  .strict();

/** A charging session's start, progress or end. */
export const SessionBodySchema = z
  .object({
    sessionId: z.string().min(1).max(64),
    chargerId: IdSchema,
    connectorId: z.number().int().min(1).max(99),
    idTag: z.string().min(1).max(20).optional(),
    state: z.enum(['started', 'updated', 'stopped']),
    startedAt: EpochMsSchema,
    stoppedAt: EpochMsSchema.optional(),
    energyWh: z.number().finite().nonnegative(),
    stopReason: z.string().max(64).optional(),
  })
  .strict();

/** Something that happened at the site: a fault, a recovery, a failover, a charger's status. */
export const EventBodySchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    severity: z.enum(['info', 'warning', 'critical']),
    message: z.string().max(500),
    chargerId: IdSchema.optional(),
    details: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
    /** What `message` says, by a reason its kind is said with and its parameters (absent from older agents). */
    ...EventReasonFields,
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.reason !== undefined && !isReasonOf(body.kind, body.reason))
      addReasonedIssue(ctx, ['reason'], 'field.notReasonOf', { kind: body.kind });
    if (body.params !== undefined && body.reason === undefined)
      addReasonedIssue(ctx, ['params'], 'field.paramsWithoutReason');
  });

const envelope = <S extends string, T extends z.ZodType>(stream: S, body: T) =>
  z
    .object({
      /** Unique per message (the outbox's id), so that the cloud drops replays. */
      messageId: z.string().min(8).max(64),
      siteId: IdSchema,
      stream: z.literal(stream),
      at: EpochMsSchema,
      body,
    })
    .strict();

export const SiteMessageSchema = z.discriminatedUnion('stream', [
  envelope('telemetry', TelemetryBodySchema),
  envelope('sessions', SessionBodySchema),
  envelope('events', EventBodySchema),
]);

/** What a site publishes: a batch of messages of one stream, oldest first. */
export const SiteBatchSchema = z
  .object({ v: z.literal(1), messages: z.array(SiteMessageSchema).min(1).max(MAX_BATCH_MESSAGES) })
  .strict();

/** AWS IoT's limit for a shadow's desired state. */
export const MAX_DESIRED_BYTES = 8 * 1024;

/**
 * The policy shadow's desired state, written by the cloud. The policy travels as a JSON string because a shadow
 * merges nested objects key by key: an object would keep keys a newer policy dropped (e.g. dynamic-mode fields after
 * a switch to static), which the strict policy schema then refuses. A string is replaced whole. For the same reason
 * other keys beside `version` and `policy` are ignored, not refused: a key once written to the desired state stays
 * there until someone writes it null, so refusing it would refuse every later policy too.
 */
export const DesiredPolicyStateSchema = z.object({
  version: z.number().int().positive(),
  policy: z.string().min(2).max(MAX_DESIRED_BYTES),
});

/** The policy shadow's reported state, written by the site. */
export const ReportedPolicySchema = z
  .object({
    version: z.number().int().nonnegative(),
    status: z.enum(['applied', 'rejected']),
    /** `local`: edited on the site's dashboard while offline; `config`: the site's configuration file (the cloud never pushed one). */
    source: z.enum(['cloud', 'local', 'config']),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }).strict())
      .max(100)
      .optional(),
    appliedAt: EpochMsSchema,
    /**
     * The policy the site runs now, as JSON (a string for the same reason as the desired one), so that the fleet console
     * edits what the site runs; left out when it would not fit in the shadow. After a rejection it is the policy kept.
     */
    policy: z.string().min(2).max(MAX_DESIRED_BYTES).optional(),
  })
  .strict();

export type CsmsLinkHealth = z.output<typeof CsmsLinkHealthSchema>;
export type DemandMonthReport = z.output<typeof DemandMonthReportSchema>;
export type TelemetryBody = z.output<typeof TelemetryBodySchema>;
export type SessionBody = z.output<typeof SessionBodySchema>;
export type EventBody = z.output<typeof EventBodySchema>;
export type SiteMessage = z.output<typeof SiteMessageSchema>;
export type SiteBatch = z.output<typeof SiteBatchSchema>;
export type DesiredPolicyState = z.output<typeof DesiredPolicyStateSchema>;
export type ReportedPolicy = z.output<typeof ReportedPolicySchema>;

/** The desired state that carries `policy` at `version`. */
export function desiredPolicyState(version: number, policy: Policy): DesiredPolicyState {
  return { version, policy: JSON.stringify(policy) };
}

/** Reads a policy that travels as JSON text (desired or reported): the validated policy, or every problem under `policy.`. */
export function parsePolicyText(text: string): { ok: true; policy: Policy } | { ok: false; issues: FieldIssue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: 'policy', message: `not JSON: ${(error as Error).message}` }] };
  }
  const policy = PolicySchema.safeParse(json);
  if (!policy.success)
    return { ok: false, issues: fieldIssues(policy.error).map((i) => ({ ...i, path: `policy.${i.path}` })) };
  return { ok: true, policy: policy.data };
}

/** Reads a desired state back: the version and the validated policy, or every problem with its path. */
export function parseDesiredPolicyState(
  desired: unknown,
): { ok: true; version: number; policy: Policy } | { ok: false; version?: number; issues: FieldIssue[] } {
  const state = DesiredPolicyStateSchema.safeParse(desired);
  if (!state.success) return { ok: false, issues: fieldIssues(state.error) };
  const parsed = parsePolicyText(state.data.policy);
  if (!parsed.ok) return { ok: false, version: state.data.version, issues: parsed.issues };
  return { ok: true, version: state.data.version, policy: parsed.policy };
}

/** The reported state with the policy in force as its text, or without it when the whole would not fit in the shadow. */
export function reportedWithPolicy(report: ReportedPolicy, policy: Policy): ReportedPolicy {
  const withPolicy = { ...report, policy: JSON.stringify(policy) };
  return new TextEncoder().encode(JSON.stringify(withPolicy)).byteLength <= MAX_DESIRED_BYTES ? withPolicy : report;
}
