/** The local cloud's broker cut off and brought back on the same port: sessions, queued messages and the rules survive. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { parseDesiredPolicyState } from '../../../../shared/sync/sync-messages';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { restartPort } from '../../../support/restart-port';
import { policyInput } from '../support/fleet-builders';
import {
  api,
  closed,
  connectGateway,
  nextOutcome,
  registerGateway,
  type GatewayClient,
  type GatewayCredentials,
} from './local-cloud-kit';

describe('local cloud broker outage', () => {
  let cloud: LocalCloud;
  let credentials: GatewayCredentials;
  let gateway: GatewayClient | undefined;
  let delta: string;

  beforeAll(async () => {
    cloud = await startLocalCloud({ mqttPort: await restartPort() });
    credentials = await registerGateway(cloud, cloud.demo.siteId);
    delta = `$aws/things/${credentials.thingName}/shadow/name/policy/update/delta`;
  });
  afterAll(async () => {
    await gateway?.close();
    await cloud?.stop();
  });

  it('should drop its gateways and refuse connections while stopped, then take them back on the same port', async () => {
    gateway = await connectGateway(cloud, credentials, credentials.username, false);
    const dropped = closed(gateway.client);

    await cloud.broker.stopListening();

    await dropped;
    expect(cloud.broker.listening).toBe(false);
    await expect(connectGateway(cloud, credentials)).rejects.toThrow(/ECONNREFUSED|closed before CONNACK/);
    await cloud.broker.listen();
    expect(cloud.broker.port).toBe(cloud.mqttPort);
    gateway = await connectGateway(cloud, credentials, credentials.username, false);
    expect(gateway.client.connected).toBe(true);
  });

  it("should keep a persistent session's subscriptions and deliver what was queued for it while stopped", async () => {
    await gateway!.client.subscribeAsync(delta, { qos: 1 });
    const dropped = closed(gateway!.client);
    await cloud.broker.stopListening();
    await dropped;

    const put = await api(cloud, `/sites/${cloud.demo.siteId}/policy`, {
      method: 'PUT',
      body: policyInput(32),
      headers: { 'If-Match': '"0"' },
    });
    expect(await put.json()).toMatchObject({ desired: { version: 1 }, push: { status: 'sent' } });
    await cloud.broker.listen();
    // No new subscription: the session the broker kept brings the delta written during the outage.
    gateway = await connectGateway(cloud, credentials, credentials.username, false);

    const queued = await gateway.next(delta);
    expect(parseDesiredPolicyState(queued.state)).toMatchObject({
      ok: true,
      version: 1,
      policy: { budget: { max: 32 } },
    });
  });

  it('should still run the IoT rules on what gateways publish after the restart', async () => {
    const topic = gatewayStreamTopic(credentials.thingName, 'events');
    const message = {
      messageId: 'evt-after-outage',
      siteId: cloud.demo.siteId,
      stream: 'events',
      at: Date.now(),
      body: { kind: 'agent.started', severity: 'info', message: 'up' },
    };
    const ingested = nextOutcome(cloud.bridge, (o) => o.topic === topic);

    await gateway!.client.publishAsync(topic, JSON.stringify({ v: 1, messages: [message] }), { qos: 1 });

    expect(await ingested).toMatchObject({ kind: 'ingest', result: { stored: 1, rejected: [] } });
  });
});
