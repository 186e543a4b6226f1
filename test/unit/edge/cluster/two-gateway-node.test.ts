import { describe, expect, it } from 'vitest';
import { ClusterConfigSchema } from '../../../../edge/cluster/cluster-config';
import { createTwoGatewayNode, NODE_ID_RANGE, twoGatewayIdRange } from '../../../../edge/cluster/two-gateway-node';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { TransactionIdBlocks } from '../../../../edge/store/transaction-id-blocks';
import { useTempStore } from '../store/support/temp-store';

const temp = useTempStore('ampshare-two-gateway-ids-');

function twoGatewayNode(nodeId: string, db: StoreDatabase) {
  const config = ClusterConfigSchema.parse({ nodeId, witness: false, staticOrder: ['gw-a', 'gw-b'] });
  return createTwoGatewayNode(config, {
    localIds: new TransactionIdBlocks(db, twoGatewayIdRange(config)),
    connectedChargers: () => [],
    siteChargerIds: () => ['CP-1'],
    failSafeAmps: () => 6,
    leaseSeconds: 60,
    pingIntervalSeconds: 30,
    now: () => 0,
    log: { info: () => undefined, error: () => undefined },
  });
}

/** A transaction stored closed, as the agent stores its own and, after a partition, the other node's. */
function storeClosed(db: StoreDatabase, transactionId: number): void {
  const sessions = new SqliteSessionStore(db);
  const session = { transactionId, chargerId: 'CP-1', connectorId: 1, idTag: undefined, meterStartWh: 0, energyWh: 0 };
  sessions.startSession({ ...session, startedAt: 1 }, { receivedAt: 1, source: 'charger' });
  sessions.stopSession(
    { transactionId, stoppedAt: 2, meterStopWh: 10, reason: 'Local' },
    { receivedAt: 2, source: 'charger' },
  );
}

describe('a two-gateway node', () => {
  it("should hand out transaction ids from its own range, never one of the other node's", async () => {
    // Arrange: two nodes, each with its own store
    const a = twoGatewayNode('gw-a', temp.db);
    const b = twoGatewayNode('gw-b', openStoreDatabase(`${temp.dir}/gw-b`));

    // Act
    const ids = [
      await a.transactionIds.next('CP-1'),
      await b.transactionIds.next('CP-1'),
      await a.transactionIds.next('CP-1'),
    ];

    // Assert
    expect(ids).toEqual([1, NODE_ID_RANGE + 1, 2]);
  });

  it('should go on handing out ids of its own range once its store holds many of its own and some of the other node', async () => {
    // Arrange: gw-b's store holds a transaction of gw-a's (merged after a partition)
    storeClosed(temp.db, 7);
    const b = twoGatewayNode('gw-b', temp.db);

    // Act: more ids than one reserved block, each stored as the agent does, then a restart
    const ids: number[] = [];
    for (let n = 0; n < 160; n++) {
      const id = await b.transactionIds.next('CP-1');
      storeClosed(temp.db, id);
      ids.push(id);
    }
    ids.push(await twoGatewayNode('gw-b', temp.db).transactionIds.next('CP-1'));

    // Assert
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id > NODE_ID_RANGE && id <= 2 * NODE_ID_RANGE)).toBe(true);
  });

  it("should keep below the other node's range when its store holds the other node's transactions", async () => {
    // Arrange: gw-a's store holds a transaction of gw-b's (merged after a partition)
    storeClosed(temp.db, NODE_ID_RANGE + 5);

    // Act
    const id = await twoGatewayNode('gw-a', temp.db).transactionIds.next('CP-1');

    // Assert
    expect(id).toBe(1);
  });
});
