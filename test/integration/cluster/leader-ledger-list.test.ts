/**
 * The ledger's bounded read (LeaderLedger.list) on a real etcd at its documented bound: 20,000 records of a
 * transaction's size are more than one gRPC answer may carry (4 MiB by default), and a new master must still read them
 * all, as one snapshot, or refuse when there are more.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LEDGER_TRANSACTION_KEYS } from '../../../edge/cluster/ledger-transactions';
import { EtcdCluster } from './support/etcd-cluster';
import { RecordedNode, siteSettings } from './support/recorded-node';

/** About a transaction start record's size (ledger-transactions.ts). */
const RECORD = JSON.stringify({
  transactionId: 1_234_567,
  chargerId: 'CHARGER-WITH-A-LONG-IDENTITY-0001',
  connectorId: 1,
  idTag: 'TAG-0123456789ABCDEF',
  status: 'Accepted',
  meterStartWh: 123_456_789,
  startedAt: { at: 1_764_800_000_000, receivedAt: 1_764_800_000_000, source: 'receivedClockBehind' },
}).padEnd(300, ' ');
const PER_WRITE = 96;

describe("the ledger's bounded read", () => {
  let etcd: EtcdCluster;
  let node: RecordedNode | undefined;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
  });
  afterEach(async () => {
    await node?.close();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('should read every record up to its bound, past what one gRPC answer carries, and refuse one more', async () => {
    // Arrange: the bound's worth of records (about 7 MB with their keys), written in batches
    node = new RecordedNode('gw-a', siteSettings(etcd.endpoints, 6));
    node.leadership.start();
    await node.electedTimes(1, 15_000);
    const { ledger } = node;
    const key = (i: number) => `transactions/${i}/start`;
    for (let first = 0; first < MAX_LEDGER_TRANSACTION_KEYS; first += PER_WRITE) {
      const count = Math.min(PER_WRITE, MAX_LEDGER_TRANSACTION_KEYS - first);
      await ledger.putAll(Array.from({ length: count }, (_, k) => ({ key: key(first + k), value: RECORD })));
    }

    // Act
    const all = await ledger.list('transactions', MAX_LEDGER_TRANSACTION_KEYS);
    await ledger.put(key(MAX_LEDGER_TRANSACTION_KEYS), RECORD);
    const tooMany = ledger.list('transactions', MAX_LEDGER_TRANSACTION_KEYS);

    // Assert
    expect(all).toHaveLength(MAX_LEDGER_TRANSACTION_KEYS);
    expect(new Set(all.map((entry) => entry.key)).size).toBe(MAX_LEDGER_TRANSACTION_KEYS);
    expect(all.every((entry) => entry.value === RECORD)).toBe(true);
    await expect(tooMany).rejects.toMatchObject({ code: 'state.invalid' });
  });
});
