/** The edge fixture with a `sync` section: a real agent linked to a running local cloud through a registered gateway. */
import type { BridgeOutcome } from '../../../../cloud/local/iot-rules-bridge';
import type { LocalCloud } from '../../../../cloud/local/start-local-cloud';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import { api, registerGateway, type GatewayCredentials } from '../../cloud/local/local-cloud-kit';
import { edgeConfig, startEdge, type EdgeFixture, type EdgeOptions } from './edge-fixture';

export interface SyncedEdge extends EdgeFixture {
  readonly gateway: GatewayCredentials;
}

export type SyncedEdgeOptions = Omit<EdgeOptions, 'sync'> & {
  /** The gateway of an earlier start (a restart); a new one is registered otherwise. */
  readonly gateway?: GatewayCredentials;
};

/** Starts an agent for the cloud's demo site, reconnecting quickly and sending telemetry every second. */
export async function startSyncedEdge(cloud: LocalCloud, options: SyncedEdgeOptions): Promise<SyncedEdge> {
  const gateway = options.gateway ?? (await registerGateway(cloud, cloud.demo.siteId));
  const edge = await startEdge({
    ...options,
    sync: {
      broker: { kind: 'local', url: cloud.mqttUrl, username: gateway.username, password: gateway.password },
      thingName: gateway.thingName,
      siteId: cloud.demo.siteId,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
      telemetryIntervalSeconds: 1,
    },
  });
  return { ...edge, gateway };
}

/** The fixture's policy with another budget (amps), as a console user would edit it. */
export function policyWithBudget(options: Pick<EdgeOptions, 'chargers' | 'policy'>, maxAmps: number): PolicyInput {
  return { ...edgeConfig(options, '').policy, budget: { unit: 'A', min: 6, max: maxAmps } };
}

/** PUT /sites/:id/policy over the version the API holds now; resolves with the new version. */
export async function putPolicy(cloud: LocalCloud, policy: unknown): Promise<number> {
  const path = `/sites/${cloud.demo.siteId}/policy`;
  const etag = (await api(cloud, path)).headers.get('ETag') ?? '"0"';
  const put = await api(cloud, path, { method: 'PUT', headers: { 'If-Match': etag }, body: policy });
  const body = (await put.json()) as { desired?: { version: number }; push?: { status: string } };
  if (put.status !== 200 || body.push?.status !== 'sent' || body.desired === undefined)
    throw new Error(`policy PUT failed: ${put.status} ${JSON.stringify(body)}`);
  return body.desired.version;
}

/** Resolves once `check` holds, re-checked after every bridge outcome (ingest or shadow report); rejects after `timeoutMs`. */
export function untilCloud(
  cloud: LocalCloud,
  what: string,
  check: (outcome?: BridgeOutcome) => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      if (error) reject(error);
      else resolve();
    };
    const test = (outcome?: BridgeOutcome) => {
      Promise.resolve(check(outcome)).then(
        (ok) => ok && finish(),
        (error: unknown) => finish(error as Error),
      );
    };
    const timer = setTimeout(() => finish(new Error(`not within ${timeoutMs} ms: ${what}`)), timeoutMs);
    const off = cloud.bridge.onOutcome(test);
    test();
  });
}
