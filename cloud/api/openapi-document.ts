/** The OpenAPI 3.1 description of the API, generated from the same zod schemas the routes validate with. */
import { z } from 'zod';
import { DemandTariffSchema } from '../../shared/demand/demand-tariff';
import * as schemas from './api-schemas';

interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  readonly path: string;
  readonly summary: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly success: number;
  readonly errors: readonly number[];
}

const SITE = { params: schemas.SiteParamsSchema };

const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/sites',
    summary: "List the tenant's sites (paginated by an opaque cursor)",
    query: schemas.ListSitesQuerySchema,
    success: 200,
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/sites',
    summary: 'Create a site with its circuits and chargers',
    body: schemas.SiteCreateBodySchema,
    success: 201,
    errors: [400, 401, 403, 409, 413],
  },
  {
    method: 'get',
    path: '/sites/{siteId}',
    summary: 'Read a site with its chargers',
    ...SITE,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'put',
    path: '/sites/{siteId}',
    summary: "Replace a site's settings and circuits",
    ...SITE,
    body: schemas.SiteUpdateBodySchema,
    success: 200,
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'delete',
    path: '/sites/{siteId}',
    summary: 'Delete a site (its gateway must be revoked first)',
    ...SITE,
    success: 204,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/chargers',
    summary: 'List the chargers of a site',
    ...SITE,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'put',
    path: '/sites/{siteId}/chargers/{chargerId}',
    summary: 'Create or replace a charger',
    params: schemas.ChargerParamsSchema,
    body: schemas.ChargerBodySchema,
    success: 200,
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'delete',
    path: '/sites/{siteId}/chargers/{chargerId}',
    summary: 'Delete a charger',
    params: schemas.ChargerParamsSchema,
    success: 204,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/telemetry',
    summary: 'Telemetry over [from, to), downsampled to at most `points` points',
    ...SITE,
    query: schemas.TelemetryQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/sessions',
    summary: 'Charging sessions started in [from, to), newest first',
    ...SITE,
    query: schemas.TimeListQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/telemetry.csv',
    summary: 'The same telemetry points as CSV (text/csv): time, grid L1-L3 A, EV L1-L3 A, budget A per phase, fuse A',
    ...SITE,
    query: schemas.TelemetryQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/sessions.csv',
    summary:
      'Every session started in [from, to) as CSV (text/csv): session, charger, connector, id tag, start, stop, energy kWh; 400 if the range holds more than the export limit',
    ...SITE,
    query: schemas.TimeRangeQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/events',
    summary: 'Site events in [from, to), newest first',
    ...SITE,
    query: schemas.TimeListQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/demand-months',
    summary: "Peak-demand months: the peak with control, the agent's estimate without it, kW avoided and money saved",
    ...SITE,
    query: schemas.DemandMonthsQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/cluster',
    summary:
      "The site's cluster from its takeover events and telemetry: each node's role, health, term and last word, the master (on two gateways: the majority's holder), etcd, the last takeover",
    ...SITE,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/demand-tariff',
    summary: 'The capacity tariff kept for the site (money per kW and year or month, currency); null when none',
    ...SITE,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'put',
    path: '/sites/{siteId}/demand-tariff',
    summary: 'Set the capacity tariff the peak-demand months count the money saved at by default',
    ...SITE,
    body: DemandTariffSchema,
    success: 200,
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/policy',
    summary: 'The desired and the applied policy (ETag: desired version)',
    ...SITE,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'put',
    path: '/sites/{siteId}/policy',
    summary: 'Replace the desired policy (If-Match: the version edited) and push it to the gateway',
    ...SITE,
    query: schemas.PolicyPutQuerySchema,
    body: schemas.PolicyBodySchema,
    success: 200,
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/policy/history',
    summary: 'Earlier desired policies, newest first',
    ...SITE,
    query: schemas.PolicyHistoryQuerySchema,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/sites/{siteId}/policy/preview',
    summary: 'Allocate for a policy (or the desired one) and a hypothetical request',
    ...SITE,
    body: schemas.PreviewBodySchema,
    success: 200,
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'post',
    path: '/policies/rollout',
    summary: 'Write one policy to many sites, with a result per site',
    body: schemas.RolloutBodySchema,
    success: 200,
    errors: [400, 401, 403, 413],
  },
  {
    method: 'get',
    path: '/sites/{siteId}/gateways',
    summary: 'Gateway registrations of a site',
    ...SITE,
    success: 200,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/sites/{siteId}/gateways',
    summary: "Register the site's gateway: returns its credentials once",
    ...SITE,
    success: 201,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/sites/{siteId}/gateways/{thingName}',
    summary: 'Revoke a gateway (its credential stops working)',
    params: schemas.GatewayParamsSchema,
    success: 200,
    errors: [400, 401, 403, 404, 409],
  },
];

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: every bad field is in `details`',
  401: 'Missing or invalid bearer token',
  403: 'Token without an active tenant',
  404: "Not found (or another tenant's)",
  409: 'Conflict (stale version, duplicate, or state)',
};

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;
const jsonSchema = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined) {
  if (!schema) return [];
  const json = jsonSchema(schema);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** Builds the document; `serverUrl` is where the API is reachable (e.g. the API Gateway stage URL). */
export function buildOpenApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {
      [op.success]: { description: op.success === 204 ? 'No content' : 'Success' },
    };
    for (const status of [...op.errors, 500]) {
      responses[status] = {
        description: ERROR_TEXT[status] ?? 'Internal error (no details)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ampshare fleet API',
      version: '1',
      description: 'Sites, chargers, policies, telemetry and gateways of one tenant (from the bearer token).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: jsonSchema(schemas.ErrorBodySchema) },
    },
    paths,
  };
}
