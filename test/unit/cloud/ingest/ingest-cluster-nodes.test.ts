import { beforeEach, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../../../cloud/ingest/ingest-batch';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { electedEventBody, fencedEventBody } from '../../../../edge/cluster/takeover-report';
import { inMemoryIngest, type InMemoryIngest } from './in-memory-ports';
import { AT, batch, eventMessage } from './site-batches';

const THING = 'amp-site-a-1';
const TOPIC = gatewayStreamTopic(THING, 'events');

describe('ingestBatch: cluster nodes from takeover events', () => {
  let fleet: InMemoryIngest;
  beforeEach(() => {
    fleet = inMemoryIngest();
    fleet.gateways.push({
      tenantId: 't1',
      siteId: 'site-a',
      thingName: THING,
      credentialId: THING,
      status: 'active',
      createdAt: 0,
    });
  });

  it("should report each node's latest takeover event, and store an event whose details are no takeover's only as an event", async () => {
    // Arrange: the agent's own event bodies; gw-a's fence comes before its election in the batch but is later
    const payload = batch(
      eventMessage('site-a', 'm-0001-fence', fencedEventBody('gw-a', '41', 'lease lost'), AT + 2_000),
      eventMessage('site-a', 'm-0002-elect', electedEventBody('gw-a', '41'), AT),
      eventMessage('site-a', 'm-0003-elect', electedEventBody('gw-b', '44'), AT + 3_000),
      eventMessage('site-a', 'm-0004-other', { kind: 'cluster.failover', details: { nodeId: 'gw-c' } }, AT),
    );

    // Act
    const result = await ingestBatch(fleet.deps, { thingName: THING, topic: TOPIC, payload });

    // Assert
    expect(result.stored).toBe(4);
    expect(fleet.events.size).toBe(4);
    expect(fleet.clusterReports).toEqual([
      {
        tenantId: 't1',
        siteId: 'site-a',
        nodeId: 'gw-a',
        role: 'fenced',
        term: '41',
        at: AT + 2_000,
        reason: 'lease lost',
      },
      { tenantId: 't1', siteId: 'site-a', nodeId: 'gw-b', role: 'master', term: '44', at: AT + 3_000 },
    ]);
  });
});
