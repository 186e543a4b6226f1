/** The whole agent with a `sync` section against the local cloud: sessions reach DynamoDB, policies reach the agent. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeOutcome } from '../../../cloud/local/iot-rules-bridge';
import { startLocalCloud, type LocalCloud } from '../../../cloud/local/start-local-cloud';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../edge/main';
import { realClock } from '../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../sim/charger/virtual-charger';
import { api, registerGateway } from '../cloud/local/local-cloud-kit';
import { edgeConfig, passwordOf } from './support/edge-fixture';

const WAIT_MS = 15_000;

/** Resolves with the first bridge outcome `accept` takes (subscribe before causing it); rejects after WAIT_MS. */
function outcome(cloud: LocalCloud, what: string, accept: (o: BridgeOutcome) => boolean): Promise<BridgeOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const off = cloud.bridge.onOutcome((o) => {
      if (!accept(o)) return;
      clearTimeout(timer);
      off();
      resolve(o);
    });
  });
}

describe('edge agent synced with the local cloud', () => {
  let cloud: LocalCloud;
  let agent: RunningAgent;
  let charger: VirtualCharger | undefined;
  let dataDir: string;

  beforeAll(async () => {
    cloud = await startLocalCloud({ apiPort: 0, mqttPort: 0 });
    const gateway = await registerGateway(cloud, cloud.demo.siteId);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-agent-sync-'));
    const input = edgeConfig({ chargers: 2 }, dataDir);
    const config = parseEdgeConfig(
      {
        ...input,
        site: { ...input.site, id: cloud.demo.siteId },
        sync: {
          broker: { kind: 'local', url: cloud.mqttUrl, username: gateway.username, password: gateway.password },
          thingName: gateway.thingName,
          siteId: cloud.demo.siteId,
          reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
          telemetryIntervalSeconds: 1,
        },
      },
      dataDir,
    );
    agent = await startAgent(config, { logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await charger?.close();
    await agent?.stop();
    await cloud?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('should send a session a charger starts to DynamoDB through the outbox', async () => {
    const stored = outcome(cloud, 'stored session', (o) => o.kind === 'ingest' && o.topic === `ampshare/sites/${cloud.demo.siteId}/sessions` && o.result.stored > 0);
    charger = new VirtualCharger({ ...DEFAULT_CHARGER, rampDelayMs: 50, id: 'CP-1', password: passwordOf('CP-1') }, agent.ocppUrl, realClock);
    await charger.connect();
    await charger.plugIn(DEFAULT_CAR);
    const transactionId = await charger.authorizeAndStart('TAG-1');
    expect(transactionId).toBeDefined();
    await stored;

    const { items } = await cloud.repositories.sessions.list(cloud.demo.tenantId, cloud.demo.siteId, { from: 0, to: Date.now() + 60_000, limit: 10 });
    expect(items).toEqual([expect.objectContaining({ sessionId: String(transactionId), connector: 'CP-1/1', idTag: 'TAG-1' })]);
  });

  it('should put a policy written through the API in force on the agent and show it as applied', async () => {
    const applied = outcome(cloud, 'applied policy report', (o) => o.kind === 'shadow' && o.result.status === 'recorded' && o.result.record.status === 'applied' && o.result.record.version === 1);
    const put = await api(cloud, `/sites/${cloud.demo.siteId}/policy`, {
      method: 'PUT',
      headers: { 'If-Match': '"0"' },
      body: { $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 40 }, failSafe: { connectorAmps: 6 } },
    });
    expect(put.status).toBe(200);
    await applied;

    expect(agent.controller.policy.budget).toMatchObject({ unit: 'A', max: 40 });
    expect(agent.sync?.status().policy.inForce).toEqual({ version: 1, source: 'cloud' });
    const view = await api(cloud, `/sites/${cloud.demo.siteId}/policy`);
    expect(await view.json()).toMatchObject({ desired: { version: 1 }, applied: { version: 1, status: 'applied' }, inSync: true });
  });
});
