/**
 * The Lambda handlers' environment, parsed with zod once per container (at the first invocation, never at import).
 * infra/ sets these variables; a bad deployment fails the first invocation with every bad variable listed.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../shared/validation';

const days = (fallback: number) => z.coerce.number().int().min(1).max(3650).default(fallback);
const commaList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** The fleet table and how long telemetry and events live (TTL). */
const TableEnvShape = {
  TABLE_NAME: z.string().min(3).max(255),
  TELEMETRY_RETENTION_DAYS: days(30),
  EVENT_RETENTION_DAYS: days(90),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** The account's IoT data endpoint (`xxx-ats.iot.<region>.amazonaws.com`); looked up with DescribeEndpoint when absent. */
const IotEndpointShape = {
  IOT_DATA_ENDPOINT: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'a host name without scheme')
    .optional(),
};

export const ApiEnvSchema = z.object({
  ...TableEnvShape,
  ...IotEndpointShape,
  /** Cognito: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  AUTH_ISSUER: z.url(),
  /** The user pool app client id (the `aud` of Cognito ID tokens). */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Defaults to Cognito's `<issuer>/.well-known/jwks.json`. */
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_TENANT_CLAIM: z.string().min(1).default('custom:tenant'),
  AUTH_ALGORITHMS: commaList.default(['RS256']),
  /** The IoT policy and thing type (from the IoT stack) given to every registered gateway. */
  IOT_POLICY_NAME: z.string().min(1).max(128),
  IOT_THING_TYPE_NAME: z.string().min(1).max(128).optional(),
  MAX_ROLLOUT_SITES: z.coerce.number().int().min(1).max(1000).optional(),
});

export const PolicyPushEnvSchema = z.object({ ...TableEnvShape, ...IotEndpointShape });

/** ingest and shadow-sync only need the table. */
export const TableEnvSchema = z.object(TableEnvShape);

export type ApiEnv = z.output<typeof ApiEnvSchema>;
export type PolicyPushEnv = z.output<typeof PolicyPushEnvSchema>;
export type TableEnv = z.output<typeof TableEnvSchema>;

/** Parses the variables `schema` names out of `env` (default: the process's), or throws `config.invalid` listing each bad one. */
export function parseHandlerEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  return parseOrThrow(schema, env, 'config.invalid', 'Lambda environment');
}
