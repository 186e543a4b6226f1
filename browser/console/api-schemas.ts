/** The API answers the console reads, checked with zod (only the fields it uses; extra fields pass). */
import { z } from 'zod';
import { PolicySchema } from '../../shared/policy/policy-schema';
import { MessageRefFields } from '../../shared/server-messages';
import { SiteSchema } from '../../shared/site/site-schema';
import { CsmsLinkHealthSchema } from '../../shared/sync/sync-messages';

const phaseAmps = z.tuple([z.number(), z.number(), z.number()]);

export const ConnectivitySchema = z.looseObject({ state: z.enum(['unknown', 'online', 'offline']), since: z.number() });

export const SiteSummarySchema = z.looseObject({
  id: z.string(),
  name: z.string().nullable(),
  gatewayThingName: z.string().nullable(),
  connectivity: ConnectivitySchema,
});
export const SiteListSchema = z.looseObject({ items: z.array(SiteSummarySchema), cursor: z.string().nullable() });
export const SiteViewSchema = SiteSummarySchema.extend({ site: SiteSchema });

export const DesiredPolicySchema = z.looseObject({
  version: z.number(),
  policy: PolicySchema,
  createdAt: z.number(),
  author: z.string().nullable(),
  source: z.string(),
});
export const PolicyInForceSchema = z.looseObject({
  basis: z.enum(['acknowledged', 'siteReport']),
  version: z.number(),
  source: z.enum(['cloud', 'local', 'config']),
  reportedAt: z.number(),
  policy: PolicySchema,
});
export const SitePolicySchema = z.looseObject({
  desired: DesiredPolicySchema.nullable(),
  applied: z
    .looseObject({
      version: z.number(),
      status: z.enum(['applied', 'rejected']),
      message: z.string().nullable(),
      reportedAt: z.number(),
    })
    .nullable(),
  inSync: z.boolean(),
  /** What the site runs (null: it never reported); the editor starts from it and a push is compared with it. */
  inForce: PolicyInForceSchema.nullable(),
});
export const PushResultSchema = z.looseObject({
  status: z.enum(['sent', 'skipped', 'failed']),
  message: z.string().optional(),
  ...MessageRefFields,
});
export const PolicyPutResultSchema = z.looseObject({ desired: DesiredPolicySchema, push: PushResultSchema });

export const TelemetryPointSchema = z.looseObject({
  at: z.number(),
  gridAmps: phaseAmps.nullable(),
  gridAmpsMax: phaseAmps.nullable(),
  allocatedAmps: phaseAmps.nullable(),
  /** A site in front of an operator's CSMS: its links to it (absent from older APIs). */
  csms: CsmsLinkHealthSchema.nullable().optional(),
  /** Over the bucket: the share of chargers linked (mean) and the largest backlog (absent from older APIs). */
  csmsLink: z.looseObject({ linkedPercent: z.number().nullable(), backlogMessages: z.number() }).optional(),
});
export const TelemetrySchema = z.looseObject({
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  points: z.array(TelemetryPointSchema),
});

export const SessionSchema = z.looseObject({
  sessionId: z.string(),
  connector: z.string(),
  idTag: z.string().optional(),
  startedAt: z.number(),
  stoppedAt: z.number().optional(),
  energyWh: z.number(),
});
export const SessionListSchema = z.looseObject({ items: z.array(SessionSchema) });
export const EventSchema = z.looseObject({
  eventId: z.string(),
  at: z.number(),
  type: z.string(),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  /** What the message says by a stable reason (issue 16); an older agent's event has only the English message. */
  ...MessageRefFields,
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export const EventListSchema = z.looseObject({ items: z.array(EventSchema) });

export const ConnectorAllocationSchema = z.looseObject({
  ref: z.string(),
  amps: z.number(),
  phaseAmps: phaseAmps,
  phases: z.number(),
  activity: z.enum(['active', 'paused', 'idle']),
  reason: z.string(),
  vip: z.boolean(),
  priority: z.number(),
  boundBy: z.string().optional(),
});
/** The preview's demand period (`shared/demand/demand-preview.ts`): the state sent, the target and the chargers' cap. */
export const DemandPreviewSchema = z.looseObject({
  averageSoFarKw: z.number(),
  secondsIntoPeriod: z.number(),
  otherKw: z.number(),
  monthPeakKw: z.number(),
  periodMinutes: z.number(),
  targetKw: z.number(),
  chargersCapKw: z.number(),
  forecastKw: z.number(),
});
export const PreviewResultSchema = z.looseObject({
  policySource: z.enum(['body', 'desired']),
  request: ConnectorAllocationSchema.nullable(),
  demand: DemandPreviewSchema.nullable(),
  allocation: z.looseObject({
    connectors: z.array(ConnectorAllocationSchema),
    budget: z.looseObject({ unit: z.enum(['kW', 'A']), value: z.number(), source: z.enum(['static', 'schedule']) }),
    totalAmps: phaseAmps,
  }),
});

export const RolloutResultSchema = z.looseObject({
  summary: z.looseObject({ updated: z.number(), total: z.number() }),
  results: z.array(
    z.looseObject({
      siteId: z.string(),
      status: z.enum(['updated', 'notFound', 'invalid', 'conflict', 'failed']),
      version: z.number().optional(),
      push: PushResultSchema.optional(),
      message: z.string().optional(),
      ...MessageRefFields,
      /** `invalid`: each bad field of the policy for this site (a connector it lacks). */
      details: z.array(z.object({ path: z.string(), message: z.string(), ...MessageRefFields })).default([]),
    }),
  ),
});

export type SiteList = z.output<typeof SiteListSchema>;
export type SiteSummary = z.output<typeof SiteSummarySchema>;
export type SiteView = z.output<typeof SiteViewSchema>;
export type SitePolicy = z.output<typeof SitePolicySchema>;
export type PolicyInForce = z.output<typeof PolicyInForceSchema>;
export type TelemetryPoint = z.output<typeof TelemetryPointSchema>;
export type SiteSession = z.output<typeof SessionSchema>;
export type SiteEventView = z.output<typeof EventSchema>;
export type ConnectorAllocationView = z.output<typeof ConnectorAllocationSchema>;
export type PreviewResult = z.output<typeof PreviewResultSchema>;
export type DemandPreviewView = z.output<typeof DemandPreviewSchema>;
export type RolloutResult = z.output<typeof RolloutResultSchema>;
