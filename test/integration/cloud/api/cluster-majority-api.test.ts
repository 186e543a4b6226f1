/**
 * Issue 15: which gateway of a two-gateway site (no witness, no term) holds the chargers' majority, in the cloud on a
 * local DynamoDB: the ingest keeps each gateway's latest `cluster.majority` event (a replayed older one changes
 * nothing), and `GET /sites/{id}/cluster` names the holder with the chargers it counts and since when, or none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { majorityEventBody } from '../../../../edge/cluster/takeover-report';
import type { SiteClusterAnswer } from '../../../../shared/console/site-cluster-answer';
import { eventMessage, telemetryMessage } from '../../../unit/cloud/ingest/site-batches';
import { siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';
import { type GatewayIngest, gatewayIngest } from '../support/gateway-ingest';

const THING = 'amp-pair-gw';

const majority = (id: string, nodeId: string, holds: boolean, countedChargers: number, at: number) =>
  eventMessage('pair', id, majorityEventBody(nodeId, holds, { countedChargers, siteChargers: 4 }), at);

describe('the majority of a two-gateway site in the cloud', () => {
  let h: ApiHarness;
  let ingest: GatewayIngest;

  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('pair') });
    ingest = await gatewayIngest(h, { tenantId: 'alpha', siteId: 'pair', thingName: THING });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const master = async () =>
    (await json<SiteClusterAnswer>(await h.request('/sites/pair/cluster', { tenant: 'alpha' }))).master;

  it('should say no gateway holds the majority of a two-gateway site none of whose gateways gained it', async () => {
    // Arrange: gw-x sends its figures (two gateways, standby), no majority event yet
    await ingest(
      'telemetry',
      telemetryMessage('pair', 'msg-tele-x001', NOW - 60_000, {
        cluster: { nodeId: 'gw-x', mode: 'twoGateway', role: 'standby', etcdMembers: [], peers: [] },
      }),
    );

    // Act + Assert
    expect(await master()).toEqual({ mode: 'twoGateway', holder: null });
  });

  it('should name the gateway that holds the majority, with the chargers it counts and since when', async () => {
    // Arrange: gw-x held it (3 of 4) and lost it (1 of 4); gw-y gained it since (3 of 4), in one batch
    await ingest(
      'events',
      majority('msg-maj-x001', 'gw-x', true, 3, NOW - 50_000),
      majority('msg-maj-x002', 'gw-x', false, 1, NOW - 40_000),
      majority('msg-maj-y001', 'gw-y', true, 3, NOW - 30_000),
    );

    // Act
    const answer = await master();

    // Assert
    expect(answer).toEqual({
      mode: 'twoGateway',
      holder: { nodeId: 'gw-y', countedChargers: 3, siteChargers: 4, since: NOW - 30_000 },
    });
  });

  it("should keep a gateway's newer word when its older gain arrives late, and say none holds it once it lost it", async () => {
    // Act: gw-x's outbox replays its older gain, then gw-y loses the majority
    await ingest('events', majority('msg-maj-x000', 'gw-x', true, 4, NOW - 55_000));
    await ingest('events', majority('msg-maj-y002', 'gw-y', false, 2, NOW - 20_000));

    // Assert
    expect(await master()).toEqual({ mode: 'twoGateway', holder: null });
  });
});
