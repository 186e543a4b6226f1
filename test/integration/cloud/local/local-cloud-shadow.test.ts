/** The policy shadow on the local broker: AWS's shadow rules seen by a real gateway client, and the API's push and applied view. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalPolicyPublisher } from '../../../../cloud/local/local-policy-publisher';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { AppError } from '../../../../shared/errors';
import type { Policy } from '../../../../shared/policy/policy-schema';
import { parseDesiredPolicyState } from '../../../../shared/sync/sync-messages';
import { POLICY_SHADOW, shadowTopicPrefix } from '../../../../shared/sync/sync-topics';
import { policyInput, siteInput } from '../support/fleet-builders';
import {
  api,
  connectGateway,
  nextOutcome,
  registerGateway,
  type GatewayClient,
  type GatewayCredentials,
} from './local-cloud-kit';

describe('local cloud policy shadow', () => {
  let cloud: LocalCloud;
  let credentials: GatewayCredentials;
  let gateway: GatewayClient;
  let shadow: string;
  /** A second site's gateway, whose policy shadow plays the shadow service's rules with any state. */
  let scratchCredentials: GatewayCredentials;
  let scratchGateway: GatewayClient;
  let scratch: string;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    credentials = await registerGateway(cloud, cloud.demo.siteId);
    gateway = await connectGateway(cloud, credentials);
    shadow = shadowTopicPrefix(credentials.thingName, POLICY_SHADOW);
    await gateway.client.subscribeAsync([`${shadow}/update/+`, `${shadow}/get/+`], { qos: 1 });
    expect((await api(cloud, '/sites', { method: 'POST', body: siteInput('scratch-site') })).status).toBe(201);
    scratchCredentials = await registerGateway(cloud, 'scratch-site');
    scratchGateway = await connectGateway(cloud, scratchCredentials);
    scratch = shadowTopicPrefix(scratchCredentials.thingName, POLICY_SHADOW);
    await scratchGateway.client.subscribeAsync([`${scratch}/update/+`, `${scratch}/get/+`], { qos: 1 });
  });
  afterAll(async () => {
    await gateway?.close();
    await scratchGateway?.close();
    await cloud?.stop();
  });

  it('should answer 404 to a get of a shadow that does not exist', async () => {
    await scratchGateway.client.publishAsync(`${scratch}/get`, JSON.stringify({ clientToken: 'g-1' }), { qos: 1 });

    expect(await scratchGateway.next(`${scratch}/get/rejected`)).toMatchObject({
      code: 404,
      message: "No shadow exists with name: 'policy'",
      clientToken: 'g-1',
    });
  });

  it('should accept an update, send the delta of desired against reported and the previous and current documents', async () => {
    await scratchGateway.client.publishAsync(
      `${scratch}/update`,
      JSON.stringify({ state: { reported: { mode: 'eco', amps: 16 } }, clientToken: 'r-1' }),
      { qos: 1 },
    );
    await scratchGateway.next(`${scratch}/update/accepted`, (b) => b.clientToken === 'r-1');

    await scratchGateway.client.publishAsync(
      `${scratch}/update`,
      JSON.stringify({ state: { desired: { mode: 'eco', amps: 24 } }, clientToken: 'd-1' }),
      { qos: 1 },
    );

    const accepted = await scratchGateway.next(`${scratch}/update/accepted`, (b) => b.clientToken === 'd-1');
    const delta = await scratchGateway.next(`${scratch}/update/delta`, (b) => b.clientToken === 'd-1');
    const documents = await scratchGateway.next(`${scratch}/update/documents`, (b) => b.clientToken === 'd-1');
    expect(accepted).toMatchObject({ state: { desired: { mode: 'eco', amps: 24 } }, version: 2 });
    expect(delta).toMatchObject({ state: { amps: 24 }, version: 2 });
    expect(Object.keys(delta.state as object)).toEqual(['amps']);
    expect(documents).toMatchObject({
      previous: { state: { reported: { mode: 'eco', amps: 16 } }, version: 1 },
      current: { state: { desired: { mode: 'eco', amps: 24 }, reported: { mode: 'eco', amps: 16 } }, version: 2 },
    });
  });

  it('should reject an update that names a stale version with 409', async () => {
    await scratchGateway.client.publishAsync(
      `${scratch}/update`,
      JSON.stringify({ state: { reported: { amps: 24 } }, version: 1, clientToken: 'stale-1' }),
      { qos: 1 },
    );

    const rejected = await scratchGateway.next(`${scratch}/update/rejected`, (b) => b.clientToken === 'stale-1');
    expect(rejected).toMatchObject({ code: 409, message: 'Version conflict', clientToken: 'stale-1' });
    expect(cloud.shadows.document(scratchCredentials.thingName, POLICY_SHADOW)?.version).toBe(2);
  });

  it('should answer 400 to an update that is not JSON', async () => {
    await scratchGateway.client.publishAsync(`${scratch}/update`, '{"state":', { qos: 1 });

    expect(await scratchGateway.next(`${scratch}/update/rejected`)).toMatchObject({
      code: 400,
      message: 'Invalid JSON',
    });
  });

  it('should push a policy written through the API to the shadow, and show the version the site reports as applied', async () => {
    const put = await api(cloud, `/sites/${cloud.demo.siteId}/policy`, {
      method: 'PUT',
      body: policyInput(40),
      headers: { 'If-Match': '"0"' },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ desired: { version: 1 }, push: { status: 'sent' } });

    const delta = await gateway.next(`${shadow}/update/delta`);
    const desired = parseDesiredPolicyState(delta.state);
    expect(desired).toMatchObject({ ok: true, version: 1, policy: { budget: { unit: 'A', max: 40 } } });

    const recorded = nextOutcome(cloud.bridge, (o) => o.kind === 'shadow' && o.thingName === credentials.thingName);
    const reported = { version: 1, status: 'applied', source: 'cloud', appliedAt: Date.UTC(2025, 2, 3, 10, 0, 1) };
    await gateway.client.publishAsync(`${shadow}/update`, JSON.stringify({ state: { reported } }), { qos: 1 });
    expect(await recorded).toMatchObject({ result: { status: 'recorded', record: { version: 1, status: 'applied' } } });

    const view = await api(cloud, `/sites/${cloud.demo.siteId}/policy`);
    expect(await view.json()).toMatchObject({
      desired: { version: 1 },
      applied: { version: 1, status: 'applied', message: null },
      inSync: true,
    });
  });

  it('should show a rejection the site reports, with its reasons', async () => {
    const put = await api(cloud, `/sites/${cloud.demo.siteId}/policy`, {
      method: 'PUT',
      body: policyInput(30),
      headers: { 'If-Match': '"1"' },
    });
    expect(put.status).toBe(200);
    await gateway.next(`${shadow}/update/delta`, (b) => (b.state as { version?: number }).version === 2);

    const recorded = nextOutcome(cloud.bridge, (o) => o.kind === 'shadow' && o.thingName === credentials.thingName);
    const reported = {
      version: 2,
      status: 'rejected',
      source: 'cloud',
      errors: [{ path: 'budget.max', message: 'above the main fuse' }],
      appliedAt: Date.UTC(2025, 2, 3, 10, 0, 2),
    };
    await gateway.client.publishAsync(`${shadow}/update`, JSON.stringify({ state: { reported } }), { qos: 1 });
    await recorded;

    const view = await api(cloud, `/sites/${cloud.demo.siteId}/policy`);
    expect(await view.json()).toMatchObject({
      desired: { version: 2 },
      applied: { version: 2, status: 'rejected', message: 'budget.max: above the main fuse' },
      inSync: false,
    });
  });

  it('should return the whole policy shadow on get, with what is still out of step in its delta', async () => {
    await gateway.client.publishAsync(`${shadow}/get`, '', { qos: 1 });

    const document = await gateway.next(`${shadow}/get/accepted`);
    expect(document).toMatchObject({
      state: { desired: { version: 2 }, reported: { version: 2, status: 'rejected' } },
    });
    expect(document.state).not.toHaveProperty('delta.version');
    expect(document.state).toHaveProperty('delta.policy');
  });

  it('should fail a policy push the shadow refuses (desired over 8 KiB) with an internal AppError naming the answer', async () => {
    const publisher = createLocalPolicyPublisher({ shadows: cloud.shadows });
    const huge = { ...policyInput(40), note: 'x'.repeat(9000) } as unknown as Policy;

    const failure = await publisher
      .publishDesired(
        { thingName: credentials.thingName, tenantId: 'demo', siteId: 'demo-site' },
        { version: 9, policy: huge },
      )
      .catch((error: unknown) => error);

    expect(AppError.match(failure, 'internal')).toBe(true);
    expect((failure as Error).message).toMatch(/413 The payload exceeds the maximum size allowed/);
    expect(cloud.shadows.document(credentials.thingName, 'policy')?.state.desired).toMatchObject({ version: 2 });
  });
});
