/**
 * Issue 15: each cluster node's health between takeovers in the cloud, on a local DynamoDB: the ingest keeps the
 * latest cluster figures per node from the telemetry (a replayed older sample changes nothing; bad figures are
 * refused with the field named), and `GET /sites/{id}/cluster` lists every node with its role, health, term, since,
 * last heard and a stale mark, a node without a cloud link included through its peers' view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_STALE_AFTER_MS } from '../../../../shared/console/cluster-node-health';
import type { SiteClusterAnswer } from '../../../../shared/console/site-cluster-answer';
import type { ClusterFigures } from '../../../../shared/sync/cluster-figures';
import { electedEventBody } from '../../../../edge/cluster/takeover-report';
import { eventMessage, telemetryMessage } from '../../../unit/cloud/ingest/site-batches';
import { siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';
import { type GatewayIngest, gatewayIngest } from '../support/gateway-ingest';

const THING = 'amp-depot-gw';

const figures = (over: Partial<ClusterFigures> & Pick<ClusterFigures, 'nodeId'>): ClusterFigures => ({
  mode: 'etcd',
  role: 'standby',
  leader: { nodeId: 'gw-a', term: '100', since: NOW - 600_000 },
  etcdReachable: true,
  etcdMembers: [],
  peers: [],
  ...over,
});

describe('cluster node health in the cloud', () => {
  let h: ApiHarness;
  let ingest: GatewayIngest;

  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('depot') });
    await h.request('/sites', { method: 'POST', tenant: 'bravo', body: siteInput('depot') });
    ingest = await gatewayIngest(h, { tenantId: 'alpha', siteId: 'depot', thingName: THING });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const cluster = async (tenant: string) =>
    json<SiteClusterAnswer>(await h.request('/sites/depot/cluster', { tenant }));

  it("should list every node with its role, health, term, since and last heard, from the samples and the peers' view", async () => {
    // Arrange: gw-a leads (its takeover event and samples), gw-b is a standby that never led, gw-c has no cloud link
    // and left etcd long ago; gw-b's batch carries two samples, the later one last
    const lastSeenC = NOW - CLUSTER_STALE_AFTER_MS - 60_000;
    await ingest('events', eventMessage('depot', 'msg-elect-0001', electedEventBody('gw-a', '100'), NOW - 600_000));
    await ingest(
      'telemetry',
      telemetryMessage('depot', 'msg-tele-a001', NOW - 20_000, {
        cluster: figures({
          nodeId: 'gw-a',
          role: 'master',
          leader: { nodeId: 'gw-a', term: '100', since: NOW - 600_000 },
          etcdMembers: [
            { endpoint: 'http://10.0.0.1:2379', healthy: true },
            { endpoint: 'http://10.0.0.2:2379', healthy: true },
            { endpoint: 'http://10.0.0.3:2379', healthy: false },
          ],
          peers: [
            { nodeId: 'gw-b', present: true, reachable: true, lastSeenAt: NOW - 20_000 },
            { nodeId: 'gw-c', present: false, reachable: null, lastSeenAt: lastSeenC },
          ],
        }),
      }),
    );
    await ingest(
      'telemetry',
      telemetryMessage('depot', 'msg-tele-b001', NOW - 30_000, {
        cluster: figures({ nodeId: 'gw-b', etcdReachable: false }),
      }),
      telemetryMessage('depot', 'msg-tele-b002', NOW - 10_000, { cluster: figures({ nodeId: 'gw-b' }) }),
    );

    // Act
    const answer = await cluster('alpha');

    // Assert
    expect(answer.master).toEqual({ mode: 'etcd', nodeId: 'gw-a', term: '100', since: NOW - 600_000 });
    expect(answer.etcd).toEqual({ members: 3, healthy: 2, nodeId: 'gw-a', at: NOW - 20_000 });
    expect(answer.nodes.map((n) => [n.nodeId, n.role, n.health, n.term, n.since, n.lastHeard, n.stale])).toEqual([
      ['gw-a', 'master', 'healthy', '100', NOW - 600_000, NOW - 20_000, false],
      ['gw-b', 'standby', 'healthy', null, null, NOW - 10_000, false],
      ['gw-c', 'standby', 'unhealthy', null, null, lastSeenC, true],
    ]);
  });

  it("should keep a node's newer figures when an older sample of it arrives late", async () => {
    // Act: gw-b's outbox replays a sample older than the one the cloud has, in which it could not reach etcd
    const result = await ingest(
      'telemetry',
      telemetryMessage('depot', 'msg-tele-b000', NOW - 50_000, {
        cluster: figures({ nodeId: 'gw-b', etcdReachable: false }),
      }),
    );
    const gwB = (await cluster('alpha')).nodes.find((n) => n.nodeId === 'gw-b');

    // Assert
    expect(result.stored).toBe(1);
    expect(gwB).toMatchObject({ health: 'healthy', lastHeard: NOW - 10_000, etcdReachable: true });
  });

  it('should refuse a sample whose cluster figures break the schema, naming the field, and store nothing of it', async () => {
    // Act
    const result = await ingest(
      'telemetry',
      telemetryMessage('depot', 'msg-tele-d001', NOW, {
        cluster: { ...figures({ nodeId: 'gw-d' }), leader: { nodeId: 'gw-d', term: 'latest', since: null } },
      }),
    );

    // Assert
    expect(result.stored).toBe(0);
    expect(result.rejected.flatMap((r) => r.issues?.map((i) => i.path) ?? [])).toEqual([
      'messages[0].body.cluster.leader.term',
    ]);
    expect((await cluster('alpha')).nodes.map((n) => n.nodeId)).toEqual(['gw-a', 'gw-b', 'gw-c']);
  });

  it("should show another tenant's site of the same id none of these nodes", async () => {
    expect((await cluster('bravo')).nodes).toEqual([]);
  });
});
