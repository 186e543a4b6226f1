/**
 * Everything a console browser test talks to: real DynamoDB Local, the fleet API (createApp) and the console
 * server on one @hono/node-server on port 0, the bundle `npm run build` wrote (test/support/browser-build.ts sees to
 * it), and a tenant to sign in as.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createAllocator } from '../../../../shared/allocation/allocator';
import { createLocalGatewayProvisioner } from '../../../../cloud/adapters/local-gateway-provisioner';
import { DEFAULT_LIMITS } from '../../../../cloud/api/app-deps';
import { createApp } from '../../../../cloud/api/create-app';
import { CONSOLE_BUNDLE_DIR } from '../../../../cloud/console/serve-console';
import { localConsole } from '../../../../cloud/local/local-console';
import { createTokenIssuer, TENANT_CLAIM } from '../../../../cloud/local/token-issuer';
import { RecordingPublisher } from '../../../integration/cloud/support/api-harness';
import { startLocalFleetTable, type LocalFleetTable } from '../../../integration/cloud/support/local-fleet-table';

export interface ConsoleStack {
  /** `http://127.0.0.1:<port>/console/` */
  readonly consoleUrl: string;
  readonly local: LocalFleetTable;
  readonly tenantId: string;
  /** Calls the API as the tenant. */
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startConsoleStack(tenantId = 'acme'): Promise<ConsoleStack> {
  const [local, issuer] = await Promise.all([startLocalFleetTable(), createTokenIssuer()]);
  let sequence = 0;
  const api = createApp({
    repositories: local.repositories,
    auth: {
      key: issuer.publicKey,
      issuer: issuer.issuer,
      audience: issuer.audience,
      tenantClaim: TENANT_CLAIM,
      algorithms: ['ES256'],
    },
    gatewayProvisioner: createLocalGatewayProvisioner({ brokerUrl: 'mqtt://127.0.0.1:1883' }),
    policyPublisher: new RecordingPublisher(),
    allocate: createAllocator(),
    clock: Date.now,
    randomId: () => `r${++sequence}`,
    logger: { error: (details, message) => console.error(message, details), warn: () => undefined },
    limits: DEFAULT_LIMITS,
  });
  // The console first, so that the API's auth middleware never sees its files.
  const root = new Hono();
  root.route(
    '/console',
    localConsole({ distDir: CONSOLE_BUNDLE_DIR, issueDevToken: (tenant) => issuer.issue({ tenantId: tenant }) }),
  );
  root.route('/', api);
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  await local.repositories.tenants.put({ id: tenantId, name: tenantId, status: 'active', createdAt: Date.now() });
  const token = await issuer.issue({ tenantId, subject: `operator@${tenantId}` });
  const base = `http://127.0.0.1:${port}`;
  return {
    consoleUrl: `${base}/console/`,
    local,
    tenantId,
    api: (path, init = {}) =>
      fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      }),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await local.stop();
    },
  };
}
