/**
 * One id space in the ledger's `transactions/` (edge/cluster/ledger-transactions.ts, docs/cluster.md): the id the
 * charger knows, the site's own or an operator's CSMS's. A CSMS may give an id the site handed out itself before it
 * was put in front; the new start replaces the earlier transaction's records, so its stop does not close the new one
 * at the next master. A real etcd with a real leader.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LedgerEnergy } from '../../../edge/cluster/ledger-energy';
import { LedgerTransactions } from '../../../edge/cluster/ledger-transactions';
import { EtcdCluster } from './support/etcd-cluster';
import { RecordedNode, siteSettings } from './support/recorded-node';

describe("the ledger's transaction ids", () => {
  let etcd: EtcdCluster;
  const nodes: RecordedNode[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it("should let a CSMS's start under an id the site gave before replace that transaction and its stop", async () => {
    // Arrange: gw-a leads; the site's own transaction 7 started, metered and stopped
    const node = new RecordedNode('gw-a', siteSettings(etcd.endpoints, 6));
    nodes.push(node);
    node.leadership.start();
    await node.electedTimes(1, 15_000);
    const now = Date.now();
    const ledger = new LedgerTransactions(node.ledger, new LedgerEnergy(node.ledger, () => now));
    const at = { at: now, receivedAt: now, source: 'charger' as const };
    const start = (meterStartWh: number) => ({
      transactionId: 7,
      chargerId: 'CP-1',
      connectorId: 1,
      idTag: 'TAG-1',
      status: 'Accepted',
      meterStartWh,
      startedAt: at,
    });
    await ledger.started(start(100), { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: now });
    await ledger.stopped({ transactionId: 7, chargerId: 'CP-1', meterStopWh: 900, reason: 'Local', stoppedAt: at });

    // Act: the CSMS, now in front, answers another start with id 7
    await ledger.started(start(900), { connectorId: 1, idTag: 'TAG-1', meterStart: 900, timestamp: now + 1_000 });

    // Assert: the next master reads one open transaction 7, the new one
    expect(await ledger.read()).toEqual(new Map([[7, { start: start(900) }]]));
  });
});
