import { describe, expect, it } from 'vitest';
import { ClusterConfigSchema } from '../../../../edge/cluster/cluster-config';
import { createTwoGatewayNode, NODE_ID_RANGE } from '../../../../edge/cluster/two-gateway-node';

function twoGatewayNode(nodeId: string) {
  let local = 0;
  const config = ClusterConfigSchema.parse({ nodeId, witness: false, staticOrder: ['gw-a', 'gw-b'] });
  return createTwoGatewayNode(config, {
    localIds: { next: () => Promise.resolve(++local) },
    connectedChargers: () => [],
    siteChargerIds: () => ['CP-1'],
    failSafeAmps: () => 6,
    leaseSeconds: 60,
    pingIntervalSeconds: 30,
    now: () => 0,
    log: { info: () => undefined },
  });
}

describe('a two-gateway node', () => {
  it("should hand out transaction ids from its own range, never one of the other node's", async () => {
    // Arrange
    const [a, b] = [twoGatewayNode('gw-a'), twoGatewayNode('gw-b')];

    // Act
    const ids = [
      await a.transactionIds.next('CP-1'),
      await b.transactionIds.next('CP-1'),
      await a.transactionIds.next('CP-1'),
    ];

    // Assert
    expect(ids).toEqual([1, NODE_ID_RANGE + 1, 2]);
  });
});
