/** Request schemas of the HTTP API: the routes validate with them and the OpenAPI document is generated from them. */
import { z } from 'zod';
import { DemandPeriodStateSchema } from '../../shared/demand/demand-preview';
import { PolicySchema } from '../../shared/policy/policy-schema';
import { MessageRefFields } from '../../shared/server-messages';
import { ConnectorRefSchema } from '../../shared/site/connector-ref';
import { ConnectorStateSchema, MeterReadingSchema } from '../../shared/site/site-state';
import { ChargerSchema, CircuitSchema, IdSchema, SiteSchema } from '../../shared/site/site-schema';

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const epochMs = z.coerce.number().int().nonnegative().max(8_640_000_000_000);

export const SiteParamsSchema = z.object({ siteId: IdSchema }).strict();
export const ChargerParamsSchema = z.object({ siteId: IdSchema, chargerId: IdSchema }).strict();
/** AWS IoT thing names: letters, digits, `:`, `_`, `-`. */
export const ThingNameSchema = z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'not a thing name');
export const GatewayParamsSchema = z.object({ siteId: IdSchema, thingName: ThingNameSchema }).strict();

export const ListSitesQuerySchema = z
  .object({ limit: count(1, 100).default(50), cursor: z.string().min(1).max(200).optional() })
  .strict();

/** POST /sites: a whole site (its chargers become their own items). */
export const SiteCreateBodySchema = SiteSchema;

/** PUT /sites/{siteId}: the site's own settings; its chargers are managed under /chargers. */
export const SiteUpdateBodySchema = z
  .object({
    $schemaVersion: z.literal(1),
    name: z.string().max(200).optional(),
    nominalVolts: z.number().min(100).max(400).optional(),
    timezone: z.string().min(1).optional(),
    circuits: z.array(CircuitSchema).min(1).max(5000),
  })
  .strict();

/** PUT /sites/{siteId}/chargers/{chargerId}: `id` may be left out; if given it must match the path. */
export const ChargerBodySchema = ChargerSchema.extend({ id: IdSchema.optional() });

export const TelemetryQuerySchema = z
  .object({ from: epochMs, to: epochMs, points: count(1, 2000).default(200) })
  .strict()
  .refine((q) => q.to > q.from, { path: ['to'], message: 'must be after from' });

export const TimeListQuerySchema = z
  .object({
    from: epochMs.default(0),
    to: epochMs.optional(),
    limit: count(1, 200).default(50),
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict();

/** A whole time range, [from, to), `to` defaulting to now: what an export holds (no pages). */
export const TimeRangeQuerySchema = TimeListQuerySchema.pick({ from: true, to: true }).strict();

export const PolicyHistoryQuerySchema = z
  .object({ limit: count(1, 100).default(20), before: count(2, 1_000_000_000).optional() })
  .strict();

export const PolicyPutQuerySchema = z.object({ expectedVersion: count(0, 1_000_000_000).optional() }).strict();

/** `If-Match: "3"` (or 3): the version the editor started from; 0 when the site has no policy yet. */
export const IfMatchSchema = z
  .string()
  .regex(/^(W\/)?"?\d{1,10}"?$/, 'expected the version from the ETag, e.g. "3"')
  .transform((value) => Number(value.replace(/^W\//, '').replaceAll('"', '')));

export const PolicyBodySchema = PolicySchema;

const amps = z.number().finite().nonnegative().max(100_000);

/** A hypothetical request: a car plugging in on a connector (the "Test Request Allocation" of a dashboard). */
export const HypotheticalRequestSchema = z
  .object({
    connector: ConnectorRefSchema,
    idTag: z.string().min(1).max(20).optional(),
    carPhases: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** What the car draws now, per charger phase, for closed-loop previews. */
    measuredAmps: z.tuple([amps, amps, amps]).optional(),
  })
  .strict();

export const PreviewBodySchema = z
  .object({
    /** The policy to preview; the site's desired policy when left out. */
    policy: PolicySchema.optional(),
    request: HypotheticalRequestSchema.optional(),
    /** Connector states to assume (connectors not listed are idle). */
    connectors: z.array(ConnectorStateSchema).max(20_000).default([]),
    meters: z.array(MeterReadingSchema).max(5000).default([]),
    /** The moment to allocate for (epoch ms); now when left out. */
    at: epochMs.optional(),
    /** Where the demand period stands (policy `demandControl`): the chargers' cap it gives is applied and answered. */
    demand: DemandPeriodStateSchema.optional(),
  })
  .strict();

export const RolloutBodySchema = z
  .object({
    siteIds: z
      .array(IdSchema)
      .min(1)
      .max(1000)
      .refine((ids) => new Set(ids).size === ids.length, 'site ids must be unique'),
    policy: PolicySchema,
  })
  .strict();

export const ErrorBodySchema = z
  .object({
    error: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), ...MessageRefFields })),
    ...MessageRefFields,
  })
  .strict();

export type PreviewBody = z.output<typeof PreviewBodySchema>;

/** A site's peak-demand months; with a tariff, the money saved each month. */
export const DemandMonthsQuerySchema = z
  .object({
    /** Money per kW of peak (the capacity tariff), per `per`. */
    tariff: z.coerce.number().finite().nonnegative().max(1_000_000).optional(),
    per: z.enum(['year', 'month']).default('year'),
  })
  .strict();
