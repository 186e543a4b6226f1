/**
 * Two tenants, each with a site called `demo-site` and a registered gateway, on the local stack (the broker with its
 * access rules, the shadow service, the rules bridge, the API): tenant B's gateway, trying every filter a curious
 * tenant would, receives nothing of tenant A's (telemetry, sessions, events, command results, commands, shadow), cannot
 * publish into A's topics or A's shadow, and B's API token reads none of A's data.
 */
import type { AedesPublishPacket } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import {
  gatewayCommandResultTopic,
  gatewayCommandTopic,
  gatewayStreamTopic,
  POLICY_SHADOW,
  shadowTopicPrefix,
  SITE_STREAMS,
  type SiteStream,
} from '../../../../shared/sync/sync-topics';
import { policyInput, siteInput } from '../support/fleet-builders';
import {
  api,
  closed,
  connectGateway,
  nextOutcome,
  registerGateway,
  type GatewayClient,
  type GatewayCredentials,
} from './local-cloud-kit';

const SITE = 'demo-site';
const TENANT_B = 'tenant-b';
const AT = Date.UTC(2025, 2, 3, 10, 0, 0);
const SECRET_TAG = 'A-RFID-0001';

/** The topics a gateway uses (the edge agent's, from shared/sync/sync-topics.ts). */
const topicsOf = (gateway: GatewayCredentials) => ({
  stream: (stream: SiteStream) => gatewayStreamTopic(gateway.thingName, stream),
  commands: gatewayCommandTopic(gateway.thingName),
  commandResult: gatewayCommandResultTopic(gateway.thingName),
  shadow: shadowTopicPrefix(gateway.thingName, POLICY_SHADOW),
});

const messageOf = (stream: SiteStream, messageId: string) => {
  const body =
    stream === 'telemetry'
      ? {
          evAmps: [11, 11, 11],
          limitAmps: [16, 16, 16],
          fuseAmps: [63, 63, 63],
          budget: { unit: 'A', value: 40 },
          meter: 'ok',
          charging: 1,
          paused: 0,
        }
      : stream === 'sessions'
        ? {
            sessionId: 'tx-a-1',
            chargerId: 'CP-1',
            connectorId: 1,
            state: 'started',
            startedAt: AT,
            energyWh: 0,
            idTag: SECRET_TAG,
          }
        : { kind: 'agent.started', severity: 'info', message: 'tenant A is up' };
  return { messageId, siteId: SITE, stream, at: AT, body };
};
const batch = (...messages: object[]) => JSON.stringify({ v: 1, messages });

describe('two tenants with a site of the same id', () => {
  let cloud: LocalCloud;
  let tokenB: string;
  let gatewayA: GatewayCredentials;
  let gatewayB: GatewayCredentials;
  let clientA: GatewayClient;
  let clientB: GatewayClient;
  const receivedByB: { topic: string; payload: string }[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud();
    expect(cloud.demo.siteId).toBe(SITE);
    await cloud.repositories.tenants.put({ id: TENANT_B, name: 'Tenant B', status: 'active', createdAt: Date.now() });
    tokenB = await cloud.tokens.issue({ tenantId: TENANT_B });
    expect(
      (
        await api(cloud, '/sites', {
          method: 'POST',
          body: siteInput(SITE),
          headers: { Authorization: `Bearer ${tokenB}` },
        })
      ).status,
    ).toBe(201);
    gatewayA = await registerGateway(cloud, SITE);
    gatewayB = await registerGateway(cloud, SITE, tokenB);
    clientA = await connectGateway(cloud, gatewayA);
    clientB = await connectGateway(cloud, gatewayB);
    clientB.client.on('message', (topic, payload) => receivedByB.push({ topic, payload: payload.toString('utf8') }));
  });
  afterAll(async () => {
    await clientA?.close();
    await clientB?.close();
    await cloud?.stop();
  });

  it("should deliver none of tenant A's traffic to tenant B's gateway, whatever it subscribes to", async () => {
    const a = topicsOf(gatewayA);
    const b = topicsOf(gatewayB);
    const attempts = [
      '#',
      'ampshare/#',
      '+/+/+/+',
      `ampshare/sites/${SITE}/#`,
      ...SITE_STREAMS.map((stream) => a.stream(stream)),
      a.commands,
      a.commandResult,
      `ampshare/+/${gatewayA.thingName}/#`,
      'ampshare/gateways/+/#',
      `$aws/things/${gatewayA.thingName}/shadow/#`,
      '$aws/things/+/shadow/name/policy/#',
      '$aws/events/#',
      // Its own topics, which it may use: still nothing of A's may arrive on them.
      b.commands,
      `${b.shadow}/#`,
    ];
    for (const filter of attempts) await clientB.client.subscribeAsync(filter, { qos: 1 }).catch(() => undefined);
    expect(clientB.client.connected).toBe(true);

    // Tenant A's gateway sends each stream and a command result; the cloud sends A a command and A's policy shadow changes.
    await clientA.client.subscribeAsync([a.commands, `${a.shadow}/update/delta`], { qos: 1 });
    for (const stream of SITE_STREAMS) {
      const ingested = nextOutcome(cloud.bridge, (o) => o.kind === 'ingest' && o.topic === a.stream(stream));
      await clientA.client.publishAsync(a.stream(stream), batch(messageOf(stream, `a-${stream}-1`)), { qos: 1 });
      expect(await ingested).toMatchObject({ result: { stored: 1, tenantId: cloud.demo.tenantId } });
    }
    await clientA.client.publishAsync(a.commandResult, JSON.stringify({ commandId: 'a-cmd-0', status: 'done' }), {
      qos: 1,
    });
    const commandReachedA = clientA.next(a.commands);
    await publishFromCloud(a.commands, { commandId: 'a-cmd-1', secret: 'for A only' });
    await commandReachedA;
    const deltaReachedA = clientA.next(`${a.shadow}/update/delta`);
    const pushed = await api(cloud, `/sites/${SITE}/policy?expectedVersion=0`, {
      method: 'PUT',
      body: policyInput(41),
    });
    expect(pushed.status).toBe(200);
    await deltaReachedA;

    // The broker delivers to one client in order: once B has this, anything of A's forwarded to B has arrived before it.
    const sentinel = clientB.next(b.commands, (body) => body.commandId === 'b-sentinel');
    await publishFromCloud(b.commands, { commandId: 'b-sentinel' });
    await sentinel;

    expect(receivedByB.filter((m) => !m.payload.includes('b-sentinel'))).toEqual([]);
    expect(receivedByB.some((m) => m.payload.includes(SECRET_TAG) || m.topic.includes(gatewayA.thingName))).toBe(false);
  });

  it("should show tenant B none of tenant A's data through the API", async () => {
    const asB = { headers: { Authorization: `Bearer ${tokenB}` } };
    const site = (await (await api(cloud, `/sites/${SITE}`, asB)).json()) as { gatewayThingName: string | null };
    expect(site.gatewayThingName).toBe(gatewayB.thingName);
    const telemetry = (await (
      await api(cloud, `/sites/${SITE}/telemetry?from=${AT - 1000}&to=${AT + 3_600_000}`, asB)
    ).json()) as { points: unknown[] };
    expect(telemetry.points).toEqual([]);
    for (const list of ['sessions', 'events']) {
      const body = (await (await api(cloud, `/sites/${SITE}/${list}`, asB)).json()) as { items: unknown[] };
      expect(body.items, list).toEqual([]);
    }
    const gateways = (await (await api(cloud, `/sites/${SITE}/gateways`, asB)).json()) as {
      items: Array<{ thingName: string }>;
    };
    expect(gateways.items.map((g) => g.thingName)).toEqual([gatewayB.thingName]);
    const policy = await api(cloud, `/sites/${SITE}/policy`, asB);
    expect(JSON.stringify(await policy.json())).not.toContain('"max":41');
  });

  it.each([
    ['telemetry', (a: ReturnType<typeof topicsOf>) => a.stream('telemetry')],
    ['shadow update', (a: ReturnType<typeof topicsOf>) => `${a.shadow}/update`],
    ['shadow get', (a: ReturnType<typeof topicsOf>) => `${a.shadow}/get`],
  ])(
    "should drop tenant B's gateway when it publishes to tenant A's %s topic, changing nothing of A's",
    async (_what, topicOf) => {
      const intruder = await connectGateway(cloud, gatewayB, gatewayB.username);
      const shadowBefore = cloud.shadows.document(gatewayA.thingName, 'policy');
      const dropped = closed(intruder.client);
      intruder.client.publish(
        topicOf(topicsOf(gatewayA)),
        topicOf.toString().includes('shadow')
          ? JSON.stringify({ state: { reported: { hacked: true } } })
          : batch(messageOf('telemetry', 'b-into-a-1')),
        { qos: 1 },
      );

      await dropped;
      await cloud.bridge.idle();
      expect(cloud.shadows.document(gatewayA.thingName, 'policy')).toEqual(shadowBefore);
      const rows = await cloud.repositories.telemetry.range(cloud.demo.tenantId, SITE, {
        from: AT - 1000,
        to: AT + 86_400_000,
        maxSamples: 1000,
      });
      expect(rows.map((r) => r.messageId)).not.toContain('b-into-a-1');
      await intruder.client.endAsync(true);
    },
  );

  it("should not let tenant B's credentials connect as tenant A's gateway", async () => {
    await expect(connectGateway(cloud, gatewayB, gatewayA.thingName)).rejects.toThrow(/Not authorized/i);
  });

  /** What the cloud publishes to a gateway (commands): straight into the broker, as the IoT data plane would. */
  function publishFromCloud(topic: string, body: object): Promise<void> {
    const packet = {
      cmd: 'publish',
      topic,
      payload: Buffer.from(JSON.stringify(body)),
      qos: 1,
      retain: false,
      dup: false,
    } as AedesPublishPacket;
    return new Promise((resolve, reject) =>
      cloud.broker.aedes.publish(packet, (error) => (error ? reject(error) : resolve())),
    );
  }
});
