/** Everything the HTTP API needs, passed in by a composition root (Lambda handler or local stack). */
import type { JWTVerifyGetKey, KeyObject, CryptoKey } from 'jose';
import type { AllocateFn } from '../../shared/allocation/allocation-types';
import type { FleetRepositories } from '../ports/fleet-repositories';
import type { GatewayProvisioner } from '../ports/gateway-provisioner';
import type { PolicyPublisher } from '../ports/policy-publisher';

export interface ApiAuthConfig {
  /** Cognito: `createRemoteJWKSet(new URL(jwksUrl))`; local stack: the token issuer's public key. */
  readonly key: CryptoKey | KeyObject | JWTVerifyGetKey;
  readonly issuer: string;
  /** Checked when given (Cognito ID tokens carry `aud`; access tokens carry `client_id` instead). */
  readonly audience?: string;
  /** The claim that names the caller's tenant (e.g. `tenant` locally, `custom:tenant` on Cognito). */
  readonly tenantClaim: string;
  readonly algorithms: readonly string[];
}

/** pino-compatible. */
export interface ApiLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ApiLimits {
  /** Longest telemetry range one request may read. */
  readonly maxTelemetryRangeMs: number;
  /** Most samples one telemetry request reads before downsampling. */
  readonly maxTelemetrySamples: number;
  readonly maxRolloutSites: number;
  /**
   * Most sessions one sessions CSV holds (cloud/api/sessions-in-range.ts): the whole file is one Lambda response, at
   * most 6 MB behind API Gateway; a row is under 150 bytes, so 20,000 rows stay near 3 MB, read in 100 DynamoDB pages
   * well inside the function's 29 s. That is months of a busy site (200 sessions a day: 100 days).
   */
  readonly maxCsvSessions: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxTelemetryRangeMs: 7 * 24 * 3600 * 1000,
  maxTelemetrySamples: 100_000,
  maxRolloutSites: 100,
  maxCsvSessions: 20_000,
};

export interface AppDeps {
  readonly repositories: FleetRepositories;
  readonly auth: ApiAuthConfig;
  readonly gatewayProvisioner: GatewayProvisioner;
  readonly policyPublisher: PolicyPublisher;
  /** The policy preview's allocator (`createAllocator()` from shared/allocation/allocator), owned by this app. */
  readonly allocate: AllocateFn;
  /** Epoch ms. */
  readonly clock: () => number;
  /** Random suffixes for thing names. */
  readonly randomId: () => string;
  readonly logger: ApiLogger;
  readonly limits: ApiLimits;
}

/** The caller, as proven by a verified token. */
export interface Caller {
  readonly tenantId: string;
  readonly subject?: string;
}

/** Hono environment of the app: the authenticated caller is set by the auth middleware. */
export interface ApiEnv {
  Variables: { caller: Caller };
}
