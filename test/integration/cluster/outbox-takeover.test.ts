/**
 * The outbox to the cloud through the ledger (edge/cluster/ledger-outbox.ts, outbox-recorder.ts), with real parts: a
 * three-member etcd on loopback, the local cloud (aedes broker, IoT rules bridge, ingest on dynalite) and the site's
 * gateway registration, which both nodes use (the cloud registers one gateway per site). The master queues messages
 * while its broker is unreachable and loses its lease; the new master sends every one of them with its id and time, and
 * the cloud stores each once. The old master's network then comes back and it sends them again: the cloud stores
 * nothing more.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../cloud/local/start-local-cloud';
import { startLocalCloud } from '../../../cloud/local/start-local-cloud';
import { eventBody, sessionBody, telemetryBody, tempDir } from '../../unit/edge/sync/sync-builders';
import { registerGateway, type GatewayCredentials } from '../cloud/local/local-cloud-kit';
import { untilCloud } from '../edge/support/synced-edge';
import { EtcdCluster } from './support/etcd-cluster';
import { freePorts } from './support/free-ports';
import { revokeLeaderLease } from './support/leader-key';
import { OutboxNode, outboxSiteSettings } from './support/outbox-node';

/** Messages of each stream the old master queues. */
const PER_STREAM = 40;
const WITHIN_MS = 20_000;

/** Resolves once `check` holds, asked every 50 ms; rejects after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = WITHIN_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the outbox through the ledger at a takeover', () => {
  let etcd: EtcdCluster;
  let cloud: LocalCloud;
  let gateway: GatewayCredentials;
  const offs: (() => void)[] = [];
  const nodes: OutboxNode[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];

  beforeAll(async () => {
    [etcd, cloud] = await Promise.all([EtcdCluster.start(3), startLocalCloud({ dynamoDbEngine: 'dynalite' })]);
    gateway = await registerGateway(cloud, cloud.demo.siteId);
  }, 60_000);
  afterEach(async () => {
    for (const off of offs.splice(0)) off();
    await Promise.all(nodes.splice(0).map((node) => node.close()));
    for (const dir of dirs.splice(0)) dir.remove();
  });
  afterAll(async () => {
    await cloud?.stop();
    await etcd?.stop();
  });

  function startNode(nodeId: string, settings: ReturnType<typeof outboxSiteSettings>) {
    const dir = tempDir('ampshare-outbox-takeover-');
    dirs.push(dir);
    const node = new OutboxNode(nodeId, settings, cloud.demo.siteId, dir.dir);
    nodes.push(node);
    node.node.leadership.start();
    return node;
  }

  /** Ingests from now on: messages stored and dropped as stored already. */
  function countIngests(): { stored: number; duplicates: number } {
    const count = { stored: 0, duplicates: 0 };
    offs.push(
      cloud.bridge.onOutcome((outcome) => {
        if (outcome.kind !== 'ingest') return;
        count.stored += outcome.result.stored;
        count.duplicates += outcome.result.duplicates;
      }),
    );
    return count;
  }

  async function ledgerOutboxKeys(settings: ReturnType<typeof outboxSiteSettings>, node: OutboxNode): Promise<number> {
    return node.node.client.getAll().prefix(`${settings.ledgerPrefix}outbox/`).count();
  }

  /** The site's items in DynamoDB since `from`: telemetry samples, events and sessions, by id. */
  async function cloudItems(from: number) {
    const { tenantId, siteId } = cloud.demo;
    const to = Date.now() + 60_000;
    const { telemetry, events, sessions } = cloud.repositories;
    const samples = await telemetry.range(tenantId, siteId, { from, to, maxSamples: 1_000 });
    const eventPage = await events.list(tenantId, siteId, { from, to, limit: 1_000 });
    const sessionPage = await sessions.list(tenantId, siteId, { from: 0, to, limit: 1_000 });
    return {
      telemetry: samples.map((s) => s.messageId),
      events: eventPage.items.map((e) => e.eventId),
      sessions: sessionPage.items.map((s) => s.sessionId),
    };
  }

  async function queueWhileOffline(a: OutboxNode, runId: string) {
    const [deadPort] = await freePorts(1);
    await a.connect(`mqtt://127.0.0.1:${deadPort}`, gateway);
    await until('gw-a serving', () => a.role.serving());
    const queued = { telemetry: [] as string[], events: [] as string[], sessions: [] as string[] };
    for (let k = 0; k < PER_STREAM; k++) {
      const results = {
        telemetry: a.outbox.enqueue('telemetry', telemetryBody(k)),
        events: a.outbox.enqueue('events', eventBody('warning', `${runId} ${k}`)),
        sessions: a.outbox.enqueue('sessions', { ...sessionBody(k, 'stopped'), sessionId: `${runId}-${k}` }),
      };
      for (const stream of ['telemetry', 'events', 'sessions'] as const) {
        const result = results[stream];
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
        queued[stream].push(result.messageId);
      }
    }
    return queued;
  }

  it('should have the new master send every message the old one queued, once each in the cloud, with its id and time', async () => {
    // Arrange: gw-a leads and queues messages of each stream while its broker is unreachable; gw-b stands by
    const settings = outboxSiteSettings(etcd.endpoints);
    const from = Date.now() - 1_000;
    const a = startNode('gw-a', settings);
    await a.node.electedTimes(1, WITHIN_MS);
    const b = startNode('gw-b', settings);
    await b.connect(cloud.mqttUrl, gateway);
    const byB = countIngests();
    const queued = await queueWhileOffline(a, 'run-1');
    const all = [...queued.telemetry, ...queued.events, ...queued.sessions];
    await until('every message copied to the ledger', async () => (await ledgerOutboxKeys(settings, a)) === all.length);

    // Act: gw-a loses its lease; gw-b is elected
    await revokeLeaderLease(etcd.endpoints, settings.site);
    await b.node.electedTimes(1, WITHIN_MS);

    // Assert: gw-b sent every one of them, and deleted each copy once the cloud had it
    await untilCloud(cloud, "the old master's messages stored", () => byB.stored === all.length, WITHIN_MS);
    await until('the ledger copies deleted', async () => (await ledgerOutboxKeys(settings, b)) === 0);
    expect(b.takeovers).toEqual([{ taken: all.length, refused: 0, more: false }]);
    const items = await cloudItems(from);
    expect(items.telemetry.filter((id) => queued.telemetry.includes(id)).sort()).toEqual([...queued.telemetry].sort());
    expect(items.events.filter((id) => queued.events.includes(id)).sort()).toEqual([...queued.events].sort());
    expect(items.sessions.filter((id) => id.startsWith('run-1-'))).toHaveLength(PER_STREAM);
    expect(await cloud.ingest.ledger.seen(cloud.demo.tenantId, cloud.demo.siteId, all)).toEqual(new Set(all));

    // Act: gw-a's network comes back and its own outbox sends the same messages (as the site's one gateway: gw-b
    // leaves the broker first, else the two connections with one client id would take the broker from each other)
    await b.disconnect();
    const byA = countIngests();
    await a.connect(cloud.mqttUrl, gateway);
    await untilCloud(cloud, 'the old master sent its messages again', () => byA.duplicates === all.length, WITHIN_MS);

    // Assert: nothing stored twice
    expect(byA.stored).toBe(0);
    expect(await cloudItems(from)).toEqual(items);
  });
});
