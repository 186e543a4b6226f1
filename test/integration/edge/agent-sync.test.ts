/**
 * The whole agent with a `sync` section against the local cloud (DynamoDB Local, aedes, shadow service, rules bridge,
 * API) and virtual OCPP chargers: sessions reach DynamoDB; a policy written through the API reaches the shadow, the
 * agent and the chargers' limits, and the applied version shows in the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../cloud/local/start-local-cloud';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { api, nextOutcome } from '../cloud/local/local-cloud-kit';
import { policyWithBudget, putPolicy, startSyncedEdge, untilCloud, type SyncedEdge } from './support/synced-edge';

const CHARGERS = 3;

describe('edge agent synced with the local cloud', () => {
  let cloud: LocalCloud;
  let edge: SyncedEdge;
  const chargers: VirtualCharger[] = [];

  const offered = () => chargers.map((c) => c.offeredAmps);
  const leasedTo = (amps: number) => () => chargers.every((c) => c.offeredAmps === amps);
  // A car whose raise was still being stepped up when another arrived may stay less than the 1 A hysteresis step below its share (calm).
  const leasedWithinStepOf = (amps: number) => () =>
    chargers.every((c) => c.offeredAmps > amps - 1 && c.offeredAmps <= amps);

  beforeAll(async () => {
    cloud = await startLocalCloud({ apiPort: 0, mqttPort: 0 });
    edge = await startSyncedEdge(cloud, { chargers: CHARGERS });
  });
  afterAll(async () => {
    await edge?.close();
    await cloud?.stop();
  });

  it('should send the sessions chargers start to DynamoDB through the outbox', async () => {
    const ids: number[] = [];
    for (let n = 1; n <= CHARGERS; n++) {
      const charger = await edge.charger(`CP-${n}`);
      chargers.push(charger);
      ids.push(await edge.startSession(charger));
    }
    // 48 A shared by three cars.
    await edge.events.until('every charger leased within a step of 16 A', leasedWithinStepOf(16));

    const stored = async () =>
      (
        await cloud.repositories.sessions.list(cloud.demo.tenantId, cloud.demo.siteId, {
          from: 0,
          to: Date.now() + 60_000,
          limit: 10,
        })
      ).items;
    await untilCloud(cloud, 'three sessions in DynamoDB', async () => (await stored()).length === CHARGERS);
    expect((await stored()).map((s) => [s.sessionId, s.connector, s.idTag]).sort()).toEqual(
      ids.map((id, k) => [String(id), `CP-${k + 1}/1`, 'TAG-1']).sort(),
    );
  });

  it('should put a lower budget written through the API on the shadow, in force on the agent and on every charger, and show it applied', async () => {
    const applied = nextOutcome(
      cloud.bridge,
      (o) => o.kind === 'shadow' && o.result.status === 'recorded' && o.result.record.status === 'applied',
    );

    const version = await putPolicy(cloud, policyWithBudget({ chargers: CHARGERS }, 24));

    await edge.events.until('every charger leased 8 A', leasedTo(8));
    await applied;
    expect(offered()).toEqual([8, 8, 8]);
    const accepted8 = edge.profiles
      .leases()
      .filter((f) => f.kind === 'answer' && f.status === 'Accepted' && f.limit === 8);
    expect([...new Set(accepted8.map((f) => f.chargerId))].sort()).toEqual(['CP-1', 'CP-2', 'CP-3']);
    expect(edge.agent.controller.policy.budget).toMatchObject({ unit: 'A', max: 24 });
    expect(edge.agent.sync?.status().policy.inForce).toEqual({ version, source: 'cloud' });
    expect(cloud.shadows.document(edge.gateway.thingName, 'policy')?.state).toMatchObject({
      desired: { version },
      reported: { version, status: 'applied', source: 'cloud' },
    });
    const view = await api(cloud, `/sites/${cloud.demo.siteId}/policy`);
    expect(await view.json()).toMatchObject({
      desired: { version, policy: { budget: { max: 24 } } },
      applied: { version, status: 'applied' },
      inSync: true,
    });
  });

  it('should raise the chargers again on the next, higher budget', async () => {
    const version = await putPolicy(cloud, policyWithBudget({ chargers: CHARGERS }, 60));

    // 60 A shared by three cars, each within its 32 A.
    await edge.events.until('every charger leased 20 A', leasedTo(20));
    await untilCloud(
      cloud,
      `version ${version} applied in the API`,
      async () =>
        ((await (await api(cloud, `/sites/${cloud.demo.siteId}/policy`)).json()) as { inSync: boolean }).inSync,
    );
    expect(offered()).toEqual([20, 20, 20]);
  });
});
