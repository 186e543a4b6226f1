/** The API wired to a real local DynamoDB, a local token issuer, the local gateway provisioner and the real allocator. */
import { createAllocator } from '../../../../shared/allocation/allocator';
import type { Policy } from '../../../../shared/policy/policy-schema';
import { createApp, type FleetApp } from '../../../../cloud/api/create-app';
import { DEFAULT_LIMITS, type ApiLimits, type ApiLogger } from '../../../../cloud/api/app-deps';
import {
  createLocalGatewayProvisioner,
  type LocalGatewayProvisioner,
} from '../../../../cloud/adapters/local-gateway-provisioner';
import { createTokenIssuer, TENANT_CLAIM, type TokenIssuer } from '../../../../cloud/local/token-issuer';
import type { PolicyPublisher } from '../../../../cloud/ports/policy-publisher';
import { startLocalFleetTable, type LocalFleetTable } from './local-fleet-table';

export const NOW = Date.UTC(2025, 2, 3, 10, 0, 0);

/** A PolicyPublisher fake of our own port: records what would be pushed, fails on demand. */
export class RecordingPublisher implements PolicyPublisher {
  readonly published: Array<{ thingName: string; siteId: string; version: number; policy: Policy }> = [];
  failNext = false;
  publishDesired(
    target: { thingName: string; siteId: string },
    desired: { version: number; policy: Policy },
  ): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('broker unreachable'));
    }
    this.published.push({
      thingName: target.thingName,
      siteId: target.siteId,
      version: desired.version,
      policy: desired.policy,
    });
    return Promise.resolve();
  }
}

export interface ApiHarness {
  readonly app: FleetApp;
  readonly local: LocalFleetTable;
  readonly issuer: TokenIssuer;
  readonly publisher: RecordingPublisher;
  readonly provisioner: LocalGatewayProvisioner;
  readonly logged: Array<{ level: string; message: string }>;
  /** Authorization header for a tenant (created active on first use). */
  authFor(tenantId: string): Promise<Record<string, string>>;
  request(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string>; tenant?: string },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** `limits` replace the API's default limits one by one. */
export async function startApiHarness(options: { readonly limits?: Partial<ApiLimits> } = {}): Promise<ApiHarness> {
  const local = await startLocalFleetTable();
  const issuer = await createTokenIssuer({ now: () => NOW });
  const publisher = new RecordingPublisher();
  const provisioner = createLocalGatewayProvisioner({ brokerUrl: 'mqtt://127.0.0.1:1883' });
  const logged: Array<{ level: string; message: string }> = [];
  const logger: ApiLogger = {
    error: (_details, message) => logged.push({ level: 'error', message }),
    warn: (_details, message) => logged.push({ level: 'warn', message }),
  };
  let sequence = 0;
  const app = createApp({
    repositories: local.repositories,
    auth: {
      key: issuer.publicKey,
      issuer: issuer.issuer,
      audience: issuer.audience,
      tenantClaim: TENANT_CLAIM,
      algorithms: ['ES256'],
    },
    gatewayProvisioner: provisioner,
    policyPublisher: publisher,
    allocate: createAllocator(),
    clock: () => NOW,
    randomId: () => `r${++sequence}`,
    logger,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  });
  const tokens = new Map<string, string>();
  const authFor = async (tenantId: string) => {
    let token = tokens.get(tenantId);
    if (!token) {
      await local.repositories.tenants.put({ id: tenantId, name: tenantId, status: 'active', createdAt: NOW });
      token = await issuer.issue({ tenantId, subject: `user@${tenantId}` });
      tokens.set(tenantId, token);
    }
    return { Authorization: `Bearer ${token}` };
  };
  return {
    app,
    local,
    issuer,
    publisher,
    provisioner,
    logged,
    authFor,
    request: async (path, init = {}) => {
      const headers: Record<string, string> = { ...(init.tenant ? await authFor(init.tenant) : {}), ...init.headers };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      const body =
        init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      return app.request(path, { method: init.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
    },
    stop: () => local.stop(),
  };
}

/** The JSON body of a response, typed loosely for assertions. */
export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
