/** Site batches over the real local broker into the real local DynamoDB, through the IoT rules bridge. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../../../cloud/ingest/ingest-batch';
import type { IngestResult } from '../../../../cloud/ingest/ingest-result';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { MAX_MESSAGE_BYTES } from '../../../../shared/sync/sync-messages';
import { gatewayCommandTopic, gatewayStreamTopic, type SiteStream } from '../../../../shared/sync/sync-topics';
import { siteInput } from '../support/fleet-builders';
import {
  api,
  closed,
  connectGateway,
  nextOutcome,
  registerGateway,
  type GatewayClient,
  type GatewayCredentials,
} from './local-cloud-kit';

const AT = Date.UTC(2025, 2, 3, 10, 0, 0);
const telemetry = (siteId: string, messageId: string, at = AT) => ({
  messageId,
  siteId,
  stream: 'telemetry',
  at,
  body: {
    evAmps: [10, 10, 10],
    limitAmps: [16, 16, 16],
    fuseAmps: [63, 63, 63],
    budget: { unit: 'A', value: 40 },
    meter: 'ok',
    charging: 1,
    paused: 0,
  },
});
const session = (siteId: string, messageId: string, state: string, energyWh: number, sessionId = 'tx-42') => ({
  messageId,
  siteId,
  stream: 'sessions',
  at: AT + energyWh,
  body: {
    sessionId,
    chargerId: 'CP-1',
    connectorId: 1,
    state,
    startedAt: AT,
    energyWh,
    ...(state === 'stopped' ? { stoppedAt: AT + 3_600_000 } : {}),
  },
});
const batch = (...messages: object[]) => JSON.stringify({ v: 1, messages });

describe('local cloud ingest', () => {
  let cloud: LocalCloud;
  let siteA: GatewayCredentials;
  let siteB: GatewayCredentials;
  let gateway: GatewayClient;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    expect((await api(cloud, '/sites', { method: 'POST', body: siteInput('site-b') })).status).toBe(201);
    siteA = await registerGateway(cloud, cloud.demo.siteId);
    siteB = await registerGateway(cloud, 'site-b');
    gateway = await connectGateway(cloud, siteA);
  });
  afterAll(async () => {
    await gateway?.close();
    await cloud?.stop();
  });

  const topicOf = (stream: SiteStream) => gatewayStreamTopic(siteA.thingName, stream);

  /** Publishes as the demo site's gateway and waits for the bridge's ingest of that topic. */
  async function publish(topic: string, payload: string | Buffer): Promise<IngestResult> {
    const outcome = nextOutcome(cloud.bridge, (o) => o.topic === topic && o.thingName === siteA.thingName);
    await gateway.client.publishAsync(topic, payload, { qos: 1 });
    const result = await outcome;
    if (result.kind !== 'ingest') throw new Error(`expected an ingest outcome, got ${result.kind}`);
    return result.result;
  }
  const telemetryRows = () =>
    cloud.repositories.telemetry.range(cloud.demo.tenantId, cloud.demo.siteId, {
      from: AT - 1000,
      to: AT + 86_400_000,
      maxSamples: 1000,
    });

  it('should store a published telemetry batch in DynamoDB, and a replay not again', async () => {
    const payload = batch(telemetry('demo-site', 'tel-000001'), telemetry('demo-site', 'tel-000002', AT + 10_000));

    const first = await publish(topicOf('telemetry'), payload);
    const replay = await publish(topicOf('telemetry'), payload);

    expect(first).toMatchObject({ tenantId: 'demo', received: 2, stored: 2, duplicates: 0, rejected: [] });
    expect(replay).toMatchObject({ received: 2, stored: 0, duplicates: 2, rejected: [] });
    expect((await telemetryRows()).map((s) => s.messageId)).toEqual(['tel-000001', 'tel-000002']);
  });

  it('should keep a session at its most advanced state even when an older message is replayed', async () => {
    const started = batch(session('demo-site', 'ses-000001', 'started', 0));
    await publish(topicOf('sessions'), started);
    await publish(topicOf('sessions'), batch(session('demo-site', 'ses-000002', 'stopped', 11_000)));

    const replay = await publish(topicOf('sessions'), started);

    expect(replay).toMatchObject({ stored: 0, duplicates: 1 });
    const { items } = await cloud.repositories.sessions.list('demo', 'demo-site', {
      from: AT - 1,
      to: AT + 1,
      limit: 10,
    });
    expect(items).toEqual([
      expect.objectContaining({ sessionId: 'tx-42', connector: 'CP-1/1', energyWh: 11_000, stoppedAt: AT + 3_600_000 }),
    ]);
  });

  it('should keep a session stopped when its start is delivered after the stop (a reordered or retried delivery)', async () => {
    await publish(topicOf('sessions'), batch(session('demo-site', 'ses-000012', 'stopped', 9_000, 'tx-43')));

    const late = await publish(topicOf('sessions'), batch(session('demo-site', 'ses-000011', 'started', 0, 'tx-43')));

    expect(late).toMatchObject({ stored: 1, duplicates: 0, rejected: [] });
    const { items } = await cloud.repositories.sessions.list('demo', 'demo-site', {
      from: AT - 1,
      to: AT + 1,
      limit: 10,
    });
    expect(items.find((s) => s.sessionId === 'tx-43')).toMatchObject({ energyWh: 9_000, stoppedAt: AT + 3_600_000 });
  });

  it('should reject messages for another site inside a batch and store the rest', async () => {
    const result = await publish(
      topicOf('telemetry'),
      batch(telemetry('site-b', 'tel-000003'), telemetry('demo-site', 'tel-000004', AT + 20_000)),
    );

    expect(result).toMatchObject({
      stored: 1,
      rejected: [{ index: 0, messageId: 'tel-000003', code: 'auth.forbidden' }],
    });
  });

  it.each([
    ['malformed JSON', '{"v":1,"messages":[', /not JSON/],
    // One byte more is the broker's to refuse (local-broker-packet-size.test.ts), as AWS IoT's; the ingest checks too.
    ['a payload of the largest size that is no batch', Buffer.alloc(MAX_MESSAGE_BYTES, 0x20), /not JSON/],
    ['a payload that is no batch', JSON.stringify({ hello: 'world' }), /not a site batch/],
  ])('should reject %s and keep the bridge running', async (_name, payload, reason) => {
    const rejected = await publish(topicOf('events'), payload);
    const next = await publish(
      topicOf('events'),
      batch({
        messageId: `evt-${Math.random().toString(36).slice(2, 10)}`,
        siteId: 'demo-site',
        stream: 'events',
        at: AT,
        body: { kind: 'agent.started', severity: 'info', message: 'up' },
      }),
    );

    expect(rejected).toMatchObject({
      stored: 0,
      rejected: [{ code: 'message.invalid', reason: expect.stringMatching(reason) as unknown }],
    });
    expect(next).toMatchObject({ stored: 1, rejected: [] });
  });

  it("should refuse a batch on another gateway's topic (the ingest Lambda's check)", async () => {
    const result = await ingestBatch(cloud.ingest, {
      thingName: siteB.thingName,
      topic: topicOf('telemetry'),
      payload: batch(telemetry('demo-site', 'tel-000099')),
    });

    expect(result).toMatchObject({
      stored: 0,
      rejected: [
        {
          code: 'auth.forbidden',
          reason: `gateway "${siteB.thingName}" published on the topic of gateway "${siteA.thingName}"`,
        },
      ],
    });
    expect((await telemetryRows()).map((s) => s.messageId)).not.toContain('tel-000099');
  });

  it("should not let a gateway subscribe to another gateway's topics or another thing's shadow (SUBACK 0x80)", async () => {
    const refused = [
      gatewayCommandTopic(siteB.thingName),
      `$aws/things/${siteB.thingName}/shadow/name/policy/update/delta`,
      'ampshare/gateways/+/telemetry',
      'ampshare/sites/demo-site/#',
      '#',
    ];

    for (const filter of refused)
      await expect(gateway.client.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
    const granted = await gateway.client.subscribeAsync(
      [gatewayCommandTopic(siteA.thingName), `$aws/things/${siteA.thingName}/shadow/name/policy/update/delta`],
      { qos: 1 },
    );

    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    expect(gateway.client.connected).toBe(true);
  });

  it("should disconnect a gateway that publishes to another gateway's topic, storing nothing", async () => {
    const intruder = await connectGateway(cloud, siteB);
    const dropped = closed(intruder.client);
    intruder.client.publish(topicOf('telemetry'), batch(telemetry('demo-site', 'tel-000100')), { qos: 1 });

    await dropped;
    expect((await telemetryRows()).map((s) => s.messageId)).not.toContain('tel-000100');
    await intruder.client.endAsync(true);
  });

  it('should refuse connections with a wrong password, an unknown user or a client id that is not the thing name', async () => {
    await expect(connectGateway(cloud, { username: siteA.username, password: 'wrong' })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connectGateway(cloud, { username: 'amp-nobody', password: 'x' })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connectGateway(cloud, siteA, 'some-other-client')).rejects.toThrow(/Not authorized/i);
  });
});
