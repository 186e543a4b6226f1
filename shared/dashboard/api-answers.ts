/** What the dashboard API answers (and pushes as live events): built by the server, checked by the page with these schemas. */
import { z } from 'zod';
import type { DeepReadonly } from '../deep-readonly';
import { ALLOCATION_REASONS } from '../allocation/allocation-types';
import { PolicySchema } from '../policy/policy-schema';
import { MessageRefFields, MessageRefSchema } from '../server-messages';
import { CONNECTOR_STATUSES, LINK_STATES } from '../site/site-state';
import { PHASE_ROTATIONS } from '../units';

const phaseAmps = z.tuple([z.number(), z.number(), z.number()]);

export const SessionAnswerSchema = z.object({
  state: z.enum(['setup', 'signedOut', 'signedIn']),
  user: z.string().nullable(),
  csrfToken: z.string().nullable(),
  idleMinutes: z.number(),
});

export const ConnectorViewSchema = z.object({
  id: z.number(),
  ref: z.string(),
  status: z.enum(CONNECTOR_STATUSES),
  /** The last StatusNotification's error code other than NoError. */
  fault: z.string().nullable(),
  maxAmps: z.number(),
  vip: z.boolean(),
  /** Not in the site file: the charger reported it, and it is controlled under the charger's entry until it is listed. */
  adopted: z.boolean(),
});

export const ChargerViewSchema = z.object({
  id: z.string(),
  ip: z.string().nullable(),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  link: z.enum(LINK_STATES),
  enabled: z.boolean(),
  phases: z.number(),
  phaseRotation: z.enum(PHASE_ROTATIONS),
  /** What the charger itself reports (ConnectorPhaseRotation), when it does. */
  reportedPhaseRotation: z.enum(PHASE_ROTATIONS).nullable(),
  maxAmps: z.number(),
  minAmps: z.number(),
  /** VIP in the site file (fixed) or through the policy's VIP connectors (switchable here). */
  vip: z.object({ site: z.boolean(), policy: z.boolean() }),
  password: z.object({ set: z.boolean(), setAt: z.number().nullable() }),
  lastBootAt: z.number().nullable(),
  connectors: z.array(ConnectorViewSchema),
});

export const DevicesAnswerSchema = z.object({ basicAuth: z.boolean(), chargers: z.array(ChargerViewSchema) });

/** What a charger said to a dashboard action (`notConnected`: it takes effect when the charger next connects). */
export const ChargerActionAnswerSchema = z.object({
  charger: ChargerViewSchema,
  outcome: z.enum(['accepted', 'rejected', 'notSupported', 'notConnected', 'failed']),
  /** In English, for API users; `reasons` say the same for the page to translate. */
  message: z.string(),
  reasons: z.array(MessageRefSchema).max(4),
  /** A generated password, shown once. */
  generatedPassword: z.string().optional(),
});

export const AllocationRowSchema = z.object({
  ref: z.string(),
  chargerId: z.string(),
  connectorId: z.number(),
  ip: z.string().nullable(),
  model: z.string().nullable(),
  vip: z.boolean(),
  status: z.enum(CONNECTOR_STATUSES),
  link: z.enum(LINK_STATES),
  /** What the car may draw at most (per phase): the connector's limit while a car wants current, else 0. */
  requestedAmps: z.number(),
  allocatedAmps: z.number(),
  phaseAmps: phaseAmps,
  phases: z.number(),
  activity: z.enum(['active', 'paused', 'idle']),
  reason: z.enum(ALLOCATION_REASONS),
  boundBy: z.string().nullable(),
});

export const AllocationsAnswerSchema = z.object({
  at: z.number().nullable(),
  budget: z.object({ unit: z.enum(['kW', 'A']), value: z.number(), source: z.enum(['static', 'schedule']) }).nullable(),
  totalAmps: phaseAmps.nullable(),
  rows: z.array(AllocationRowSchema),
});

/** One charging session as stored (times epoch ms; energy so far for an open one). */
export const SessionHistoryRowSchema = z.object({
  transactionId: z.number(),
  chargerId: z.string(),
  connectorId: z.number(),
  idTag: z.string().nullable(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  energyWh: z.number(),
  /** Open on the other gateway of a site without a witness: listed here, run there. */
  otherGateway: z.literal(true).optional(),
});

export const SessionsAnswerSchema = z.object({ sessions: z.array(SessionHistoryRowSchema) });

/** The columns of the sessions CSV (GET /api/sessions.csv), in order; times ISO 8601 UTC, energy in kWh. */
export const SESSION_CSV_HEADER = ['transaction', 'charger', 'connector', 'id tag', 'start', 'stop', 'energy kWh'];

/** A session as a CSV row of SESSION_CSV_HEADER. */
export function sessionCsvRow(row: SessionHistoryRow): (string | number | null)[] {
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return [
    row.transactionId,
    row.chargerId,
    row.connectorId,
    row.idTag,
    iso(row.startedAt),
    iso(row.stoppedAt),
    Math.round(row.energyWh) / 1000,
  ];
}

export const PreviewAnswerSchema = AllocationsAnswerSchema.extend({ requestRef: z.string() });

export const PolicyAnswerSchema = z.object({
  policy: PolicySchema,
  /** Where the policy in force came from; `local` edits are reported to the cloud when it is linked. */
  source: z.enum(['config', 'local', 'cloud']),
  cloudLinked: z.boolean(),
});

/** One point of the load history, per phase (L1, L2, L3 of the grid connection); the budget and fuse per phase. */
export const LoadSampleSchema = z.object({
  at: z.number(),
  /** The grid meter's phases, when the site has a meter with a recent reading. */
  gridAmps: phaseAmps.nullable(),
  /** What the chargers are allocated on each phase. */
  evAmps: phaseAmps,
  budgetAmps: z.number(),
  fuseAmps: z.number(),
});

export const EventEntrySchema = z.object({
  at: z.number(),
  severity: z.enum(['info', 'warning', 'error']),
  source: z.string(),
  /** The source as a reason (`event.source.storage`) when it is a word, not a charger's, connector's or meter's id. */
  sourceReason: z.string().max(100).optional(),
  /** English; `reason` and `params` say it for the page's language (shared/event-messages.ts). */
  message: z.string(),
  ...MessageRefFields,
});

export const MeterHealthSchema = z.object({
  id: z.string(),
  circuitId: z.string().nullable(),
  state: z.enum(['ok', 'fault', 'noReading']),
  lastReadingAt: z.number().nullable(),
  amps: phaseAmps.nullable(),
  /** Why it reads nothing valid: English, with the reason and params for the page's language (shared/meter-faults.ts). */
  fault: z.object({ message: z.string(), ...MessageRefFields }).nullable(),
});

export const CloudStatusSchema = z.discriminatedUnion('linked', [
  z.object({ linked: z.literal(false) }),
  z.object({
    linked: z.literal(true),
    link: z.string(),
    /** A cluster node: only the node that leads holds the site's link, so a standby's is stopped by design. */
    followsLeadership: z.boolean(),
    since: z.number(),
    attempts: z.number(),
    lastError: z.string().nullable(),
    outboxMessages: z.number(),
    outboxBytes: z.number(),
    oldestAt: z.number().nullable(),
    policyVersion: z.number(),
    policySource: z.string(),
  }),
]);

/** The link to the operator's CSMS at one time or over a bucket (shared/sync/csms-link-figures.ts). */
export const CsmsLinkPointSchema = z.object({
  at: z.number(),
  /** The share of chargers linked, in percent; null when the site has no charger. */
  linkedPercent: z.number().min(0).max(100).nullable(),
  backlogMessages: z.number().int().nonnegative(),
});

/** The most points a monitoring answer carries per chart. */
export const MAX_MONITORING_POINTS = 360;

export const MonitoringAnswerSchema = z.object({
  range: z.enum(['hour', 'day']),
  from: z.number(),
  to: z.number(),
  /** Sampling interval of `samples`, so the chart knows where data is missing. */
  stepMs: z.number(),
  /** The site's nominal phase voltage, for the chart in kW. */
  nominalVolts: z.number(),
  samples: z.array(LoadSampleSchema),
  meters: z.array(MeterHealthSchema),
  events: z.array(EventEntrySchema),
  cloud: CloudStatusSchema,
  /** The link to the operator's CSMS over the range; null for an agent without an `upstream` section. */
  csmsLink: z
    .object({ stepMs: z.number(), points: z.array(CsmsLinkPointSchema).max(MAX_MONITORING_POINTS) })
    .nullable(),
});

/** Pushed over `/api/live` (server-sent events), named by the key; `csmsLink` behind an operator's CSMS. */
export const LiveSampleSchema = z.object({
  sample: LoadSampleSchema,
  cloud: CloudStatusSchema,
  csmsLink: CsmsLinkPointSchema.optional(),
});

export type SessionAnswer = z.output<typeof SessionAnswerSchema>;
export type ConnectorView = z.output<typeof ConnectorViewSchema>;
export type ChargerView = z.output<typeof ChargerViewSchema>;
export type DevicesAnswer = z.output<typeof DevicesAnswerSchema>;
export type ChargerActionAnswer = z.output<typeof ChargerActionAnswerSchema>;
export type AllocationRow = z.output<typeof AllocationRowSchema>;
export type AllocationsAnswer = z.output<typeof AllocationsAnswerSchema>;
export type SessionHistoryRow = z.output<typeof SessionHistoryRowSchema>;
export type SessionsAnswer = z.output<typeof SessionsAnswerSchema>;
export type PreviewAnswer = z.output<typeof PreviewAnswerSchema>;
// Readonly like the Policy it carries.
export type PolicyAnswer = DeepReadonly<z.output<typeof PolicyAnswerSchema>>;
export type LoadSample = z.output<typeof LoadSampleSchema>;
export type EventEntry = z.output<typeof EventEntrySchema>;
export type MeterHealth = z.output<typeof MeterHealthSchema>;
export type CloudStatus = z.output<typeof CloudStatusSchema>;
export type MonitoringAnswer = z.output<typeof MonitoringAnswerSchema>;
export type CsmsLinkPoint = z.output<typeof CsmsLinkPointSchema>;
export type LiveSample = z.output<typeof LiveSampleSchema>;
