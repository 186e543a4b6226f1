/**
 * The site's cloud link follows leadership (edge/cluster/cloud-link-follower.ts), with real parts: two whole agents of
 * one site on a real three-member etcd, both configured with the site's one gateway registration (one thing name, so
 * one MQTT client id), and the local cloud's aedes broker. Only the master's client is connected: the broker sees no
 * new connection of that client id over several seconds (two links with one id would take the broker from each other,
 * each connect dropping the other). Once the master loses its lease, the new master connects and the old one's link is
 * closed, and the broker again sees no new connection; the old master's fence event is not lost (sent in its link's
 * last words, or kept in its outbox until it leads again), and a standby queues no load telemetry.
 */
import type { Client } from 'aedes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../cloud/local/start-local-cloud';
import { startLocalCloud } from '../../../cloud/local/start-local-cloud';
import { eventually } from '../../support/eventually';
import { api, type GatewayCredentials, registerGateway } from '../cloud/local/local-cloud-kit';
import { untilCloud } from '../edge/support/synced-edge';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';
import { revokeLeaderLease } from './support/leader-key';
import { TAKEOVER_MS } from './support/takeover-site';

/** How long the broker is watched for connections: many reconnect back-offs (50 to 500 ms) of a contested link. */
const WATCH_MS = 5_000;

describe('the cloud link of a cluster node', () => {
  let etcd: EtcdCluster;
  let cloud: LocalCloud;
  let gateway: GatewayCredentials;
  const agents: ClusterAgent[] = [];
  const offs: (() => void)[] = [];

  beforeAll(async () => {
    [etcd, cloud] = await Promise.all([EtcdCluster.start(3), startLocalCloud({ dynamoDbEngine: 'dynalite' })]);
    gateway = await registerGateway(cloud, cloud.demo.siteId);
  }, 60_000);
  afterEach(async () => {
    for (const off of offs.splice(0)) off();
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    await cloud?.stop();
    await etcd?.stop();
  });

  async function node(nodeId: string): Promise<ClusterAgent> {
    const agent = await ClusterAgent.start({
      nodeId,
      siteId: cloud.demo.siteId,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      chargers: 1,
      sync: {
        broker: { kind: 'local', url: cloud.mqttUrl, username: gateway.username, password: gateway.password },
        thingName: gateway.thingName,
        siteId: cloud.demo.siteId,
        reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
        telemetryIntervalSeconds: 1,
      },
    });
    agents.push(agent);
    return agent;
  }

  /** Connections of the gateway's client id the broker accepts from now on. */
  function countConnections(): { connects: number } {
    const count = { connects: 0 };
    const onClient = (client: Client) => {
      if (client.id === gateway.thingName) count.connects += 1;
    };
    cloud.broker.aedes.on('client', onClient);
    offs.push(() => cloud.broker.aedes.off('client', onClient));
    return count;
  }

  /** Waits, with a bound, until a second passes with `holds` true throughout and no new connection of the client id. */
  async function quietBroker(holds: () => boolean): Promise<void> {
    const deadline = Date.now() + TAKEOVER_MS;
    for (;;) {
      const seen = countConnections();
      const from = Date.now();
      let held = true;
      while (Date.now() - from < 1_000) {
        held &&= holds();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (held && seen.connects === 0) return;
      if (Date.now() > deadline) throw new Error(`not within ${TAKEOVER_MS} ms: a quiet second at the broker`);
    }
  }

  /** Whether the cloud stored a fence event of `nodeId` (a `cluster.failover` event with role fenced). */
  async function fenceStored(nodeId: string): Promise<boolean> {
    const response = await api(cloud, `/sites/${cloud.demo.siteId}/events`);
    const body = (await response.json()) as { items: { data?: { nodeId?: unknown; role?: unknown } }[] };
    return body.items.some((event) => event.data?.nodeId === nodeId && event.data.role === 'fenced');
  }

  const linkOf = (agent: ClusterAgent) => agent.agent.sync?.status().link.status;
  const queued = (agent: ClusterAgent) => agent.agent.sync?.status().outbox.byStream;

  it("should keep only the master's link connected, and move it to the new master at a takeover", async () => {
    // Arrange: gw-a serves with its link connected; gw-b starts as its standby with the same thing name
    const a = await node('gw-a');
    await eventually('gw-a serves with its link connected', () => a.serving && linkOf(a) === 'connected', TAKEOVER_MS);
    const b = await node('gw-b');

    // Act 1: the broker watched for several seconds
    const before = countConnections();
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));

    // Assert 1: gw-a's one connection held the broker all along; gw-b opened none and queued no load telemetry
    expect(before.connects).toBe(0);
    expect(linkOf(a)).toBe('connected');
    expect(linkOf(b)).toBe('stopped');
    expect(b.serving).toBe(false);
    expect(queued(b)?.telemetry).toBe(0);
    // Its dashboard says the stop is as meant (the node that leads holds the link), not a fault
    expect(b.agent.sync?.status().followsLeadership).toBe(true);

    // Act 2: gw-a loses its lease at etcd, gw-b takes over
    await revokeLeaderLease(etcd.endpoints, cloud.demo.siteId);
    await eventually(
      "gw-b serves with its link connected, gw-a's link closed",
      () => b.serving && linkOf(b) === 'connected' && linkOf(a) === 'stopped',
      TAKEOVER_MS,
    );

    // Assert 2: gw-a no longer serves; its fence event reached the cloud in its link's last words, or is kept in its
    // outbox for the next time it leads (the new master may take the broker first): never lost
    expect(a.serving).toBe(false);
    await untilCloud(
      cloud,
      "gw-a's fence event stored by the cloud or kept in gw-a's outbox",
      async () => (queued(a)?.events ?? 0) >= 1 || (await fenceStored('gw-a')),
    );

    // Act 3: the broker watched again, once gw-b's link has held it for a quiet second: gw-a's last reconnect, sent
    // while it still led, can reach the broker as gw-a stops and take it from gw-b once (the nodes share one client
    // id), and gw-b's link then connects again
    await quietBroker(() => linkOf(b) === 'connected');
    const after = countConnections();
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));

    // Assert 3: gw-b's one connection holds it; gw-a stays closed
    expect(after.connects).toBe(0);
    expect(linkOf(b)).toBe('connected');
    expect(linkOf(a)).toBe('stopped');
  }, 60_000);
});
