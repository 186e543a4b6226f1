/**
 * Bad input on the real path (API, shadow service, broker ACL, rules bridge, DynamoDB Local, the whole agent with
 * virtual chargers): refused and reported, while the agent keeps charging on its last good policy. Lower levels are
 * covered elsewhere: shadow messages for another thing, not JSON or over 128 KiB reach the agent only from the
 * broker itself (test/unit/edge/sync/policy-shadow-sync.test.ts); malformed, oversized or foreign batches at the
 * ingest and another site's topics at the broker (test/integration/cloud/local/local-cloud-ingest.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeOutcome } from '../../../cloud/local/iot-rules-bridge';
import { startLocalCloud, type LocalCloud } from '../../../cloud/local/start-local-cloud';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { api, closed, connectGateway, nextOutcome, registerGateway } from '../cloud/local/local-cloud-kit';
import { siteInput } from '../cloud/support/fleet-builders';
import { policyWithBudget, putPolicy, startSyncedEdge, untilCloud, type SyncedEdge } from './support/synced-edge';

const CHARGERS = 2;
const FAR = 10 * 365 * 86_400_000;

describe('edge agent synced with the local cloud, given bad input', () => {
  let cloud: LocalCloud;
  let edge: SyncedEdge;
  const chargers: VirtualCharger[] = [];
  const policyOf = (budgetAmps: number) => policyWithBudget({ chargers: CHARGERS }, budgetAmps);
  const shadow = () => cloud.shadows.document(edge.gateway.thingName, 'policy');
  const view = async () =>
    (await (await api(cloud, `/sites/${cloud.demo.siteId}/policy`)).json()) as Record<string, unknown>;
  const rejectedReport = (version: number) => (o: BridgeOutcome) =>
    o.kind === 'shadow' &&
    o.result.status === 'recorded' &&
    o.result.record.version === version &&
    o.result.record.status === 'rejected';
  const rejectionEvents = async () =>
    (
      await cloud.repositories.events.list(cloud.demo.tenantId, cloud.demo.siteId, {
        from: 0,
        to: Date.now() + FAR,
        limit: 100,
      })
    ).items.filter((e) => e.type === 'policy.rejected');
  /** The agent still runs version 1 (30 A shared by two cars) and the chargers still hold its limits. */
  const stillOnVersion1 = () => {
    expect(edge.agent.sync?.status().policy.inForce).toEqual({ version: 1, source: 'cloud' });
    expect(edge.agent.controller.policy.budget.max).toBe(30);
    expect(chargers.map((c) => c.offeredAmps)).toEqual([15, 15]);
  };

  beforeAll(async () => {
    cloud = await startLocalCloud();
    edge = await startSyncedEdge(cloud, { chargers: CHARGERS });
    for (const id of ['CP-1', 'CP-2']) {
      const charger = await edge.charger(id);
      chargers.push(charger);
      await edge.startSession(charger);
    }
    await putPolicy(cloud, policyOf(30));
    await edge.events.until('both chargers on version 1', () => chargers.every((c) => c.offeredAmps === 15), 10_000);
  });
  afterAll(async () => {
    await edge?.close();
    await cloud?.stop();
  });

  it('should refuse a policy the site cannot run, report the reasons through the shadow to the API, and record an event', async () => {
    // The API refuses connectors the cloud's model of the site lacks; the agent's own site file can still differ from it.
    expect(
      (
        await api(cloud, `/sites/${cloud.demo.siteId}/chargers/CP-9`, {
          method: 'PUT',
          body: { circuit: 'garage', phases: 3, maxAmps: 32 },
        })
      ).status,
    ).toBe(201);
    const reported = nextOutcome(cloud.bridge, rejectedReport(2));

    const version = await putPolicy(cloud, {
      ...policyOf(60),
      vip: { enabled: true, idTags: ['VIP-1'], connectors: ['CP-9/1'] },
    });

    await reported;
    expect(version).toBe(2);
    expect(shadow()?.state.reported).toMatchObject({
      version: 2,
      status: 'rejected',
      source: 'cloud',
      errors: [{ path: 'vip.connectors[0]', message: 'connector "CP-9/1" is not part of this site' }],
    });
    expect(await view()).toMatchObject({
      desired: { version: 2 },
      applied: {
        version: 2,
        status: 'rejected',
        message: 'vip.connectors[0]: connector "CP-9/1" is not part of this site',
      },
      inSync: false,
    });
    await untilCloud(cloud, 'the refusal event in DynamoDB', async () => (await rejectionEvents()).length === 1);
    expect((await rejectionEvents())[0]).toMatchObject({
      severity: 'warning',
      data: { version: 2, firstPath: 'vip.connectors[0]' },
    });
    stillOnVersion1();
  });

  it('should refuse malformed desired states written straight into the shadow (a foreign writer) and report each', async () => {
    await cloud.shadows.update(edge.gateway.thingName, 'policy', {
      state: { desired: { version: 'three', policy: 7 } },
    });
    // Without a readable version the report is version 0, which the API does not let hide version 2's result.
    await untilCloud(cloud, 'the unreadable desired state reported', () => shadow()?.state.reported?.version === 0);
    expect(await view()).toMatchObject({ applied: { version: 2, status: 'rejected' } });
    expect(shadow()?.state.reported).toMatchObject({
      version: 0,
      status: 'rejected',
      errors: expect.arrayContaining([expect.objectContaining({ path: 'version' })]) as unknown,
    });

    const notJson = nextOutcome(cloud.bridge, rejectedReport(3));
    await cloud.shadows.update(edge.gateway.thingName, 'policy', {
      state: { desired: { version: 3, policy: '{"$schemaVersion": 1,' } },
    });
    await notJson;
    expect(shadow()?.state.reported).toMatchObject({ version: 3, status: 'rejected', errors: [{ path: 'policy' }] });
    expect(await view()).toMatchObject({
      applied: { version: 3, status: 'rejected', message: expect.stringMatching(/^policy: not JSON/) as unknown },
    });
    await untilCloud(cloud, 'three refusal events in DynamoDB', async () => (await rejectionEvents()).length === 3);
    stillOnVersion1();
  });

  it("should disconnect another site's gateway that writes this site's shadow, which stays as it was", async () => {
    expect((await api(cloud, '/sites', { method: 'POST', body: siteInput('site-b') })).status).toBe(201);
    const intruder = await connectGateway(cloud, await registerGateway(cloud, 'site-b'));
    const before = shadow();
    const dropped = closed(intruder.client);

    intruder.client.publish(
      `$aws/things/${edge.gateway.thingName}/shadow/name/policy/update`,
      JSON.stringify({ state: { desired: { version: 9, policy: JSON.stringify(policyOf(60)) } } }),
      { qos: 1 },
    );

    await dropped;
    await intruder.client.endAsync(true);
    expect(shadow()).toEqual(before);
    stillOnVersion1();
  });

  it('should refuse a policy larger than a shadow takes (413), saving and pushing nothing', async () => {
    const huge = {
      ...policyOf(60),
      vip: {
        enabled: true,
        idTags: Array.from({ length: 500 }, (_, k) => `VIP-${String(k).padStart(16, '0')}`),
        connectors: [],
      },
    };
    const etag = (await api(cloud, `/sites/${cloud.demo.siteId}/policy`)).headers.get('ETag')!;
    const desiredBefore = shadow()?.state.desired;

    const put = await api(cloud, `/sites/${cloud.demo.siteId}/policy`, {
      method: 'PUT',
      headers: { 'If-Match': etag },
      body: huge,
    });

    expect(put.status).toBe(413);
    expect(await put.json()).toMatchObject({ error: 'policy.tooLarge', details: [{ path: 'policy' }] });
    expect((await api(cloud, `/sites/${cloud.demo.siteId}/policy`)).headers.get('ETag')).toBe(etag);
    expect(shadow()?.state.desired).toEqual(desiredBefore);
    stillOnVersion1();
  });

  it('should still apply the next good policy', async () => {
    const version = await putPolicy(cloud, policyOf(24));

    await edge.events.until('both chargers cut to 12 A', () => chargers.every((c) => c.offeredAmps === 12), 10_000);
    await untilCloud(cloud, `version ${version} applied in the API`, async () => (await view()).inSync === true);
    expect(shadow()?.state.reported).toMatchObject({ version, status: 'applied', source: 'cloud' });
    expect(shadow()?.state.reported).not.toHaveProperty('errors');
  });
});
