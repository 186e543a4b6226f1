/**
 * What the cluster ledger's writes cost the master (issue 15): on a real three-member etcd on loopback (the cluster
 * tests' harness), a leader writes lease envelopes (ledger-leases.ts: what goes out before each lease that raises or
 * extends one) one after the other, and in rounds of many at once as a dispatch round sends them (every lease of a
 * round in parallel); then charger credentials (ledger-chargers.ts: what a password or switch set on the dashboard
 * waits for), a new master's read of a thousand of them, and a pruning pass (ledger-pruning.ts) over a thousand closed
 * transactions, the outbox's copies (ledger-outbox-copies.ts) and the forward log to the CSMS (ledger-upstream-log.ts). Each write is one etcd transaction conditional on the term. Figures: the time one write adds before
 * its lease goes out (median, p99) and writes per second. Loopback, so a LAN adds its round trip to each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LeaderLedger } from '../edge/cluster/leader-ledger';
import { LedgerChargers } from '../edge/cluster/ledger-chargers';
import { LedgerEnergy } from '../edge/cluster/ledger-energy';
import { LedgerLeases } from '../edge/cluster/ledger-leases';
import { pruneLedger } from '../edge/cluster/ledger-pruning';
import { LedgerTransactions } from '../edge/cluster/ledger-transactions';
import { copyClosed } from '../edge/cluster/transaction-adoption';
import { hashPassword } from '../edge/security/password-hash';
import { SqliteChargerRegistry } from '../edge/store/charger-registry';
import { SqliteSessionStore } from '../edge/store/session-store';
import { openStoreDatabase } from '../edge/store/store-database';
import { EtcdCluster } from '../test/integration/cluster/support/etcd-cluster';
import { RecordedNode, siteSettings } from '../test/integration/cluster/support/recorded-node';
import { benchOutboxCopies } from './ledger-outbox-copies';
import { benchUpstreamLedger } from './ledger-upstream-log';
import { percentile, printTable } from './measure';

const SEQUENTIAL = 500;
const ROUNDS = 20;
const LEASES_PER_ROUND = 50;
const CHARGERS = 1_000;
const PRUNED = 1_000;

const envelope = (transactionId: number) => ({
  transactionId,
  chargerId: `CP-${transactionId}`,
  connectorId: 1,
  amps: 16,
  phases: 3 as const,
  validTo: Date.now() + 120_000,
});

async function timed(write: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await write();
  return performance.now() - start;
}

export async function benchLedgerWrites(): Promise<void> {
  const etcd = await EtcdCluster.start(3);
  const node = new RecordedNode('bench', siteSettings(etcd.endpoints, 6));
  try {
    node.leadership.start();
    await node.electedTimes(1, 30_000);
    const leases = new LedgerLeases(node.ledger);
    for (let k = 0; k < 50; k++) await leases.write(envelope(k));

    const one: number[] = [];
    const sequentialStart = performance.now();
    for (let k = 0; k < SEQUENTIAL; k++) one.push(await timed(() => leases.write(envelope(k))));
    const sequentialS = (performance.now() - sequentialStart) / 1000;

    const inRound: number[] = [];
    const roundMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const start = performance.now();
      const times = await Promise.all(
        Array.from({ length: LEASES_PER_ROUND }, (_, k) => timed(() => leases.write(envelope(r * 1000 + k)))),
      );
      roundMs.push(performance.now() - start);
      inRound.push(...times);
    }
    const ms = (value: number) => value.toFixed(1);
    printTable(
      'Cluster ledger writes (3-member etcd on loopback, one lease envelope per write)',
      ['pattern', 'writes', 'median ms', 'p99 ms', 'writes/s'],
      [
        [
          'one at a time',
          String(SEQUENTIAL),
          ms(percentile(one, 0.5)),
          ms(percentile(one, 0.99)),
          (SEQUENTIAL / sequentialS).toFixed(0),
        ],
        [
          `${LEASES_PER_ROUND} at once (a round)`,
          String(inRound.length),
          ms(percentile(inRound, 0.5)),
          ms(percentile(inRound, 0.99)),
          (inRound.length / (roundMs.reduce((a, b) => a + b, 0) / 1000)).toFixed(0),
        ],
      ],
    );
    console.log(
      `  a round of ${LEASES_PER_ROUND}: median ${ms(percentile(roundMs, 0.5))} ms, p99 ${ms(percentile(roundMs, 0.99))} ms until its last write went through`,
    );
    await benchRegistryAndPruning(node.ledger);
    await benchOutboxCopies(node.ledger);
    await benchUpstreamLedger(node.ledger, node.leadership.assertLeading());
  } finally {
    await node.close();
    await etcd.stop();
  }
}

/** Charger credentials written one at a time and read back by a new master, then one pruning pass. */
async function benchRegistryAndPruning(ledger: LeaderLedger): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-ledger-'));
  const db = openStoreDatabase(dir);
  try {
    const chargers = new LedgerChargers(ledger);
    const hash = await hashPassword('a-password-for-the-bench');
    const record = (i: number) => ({ passwordHash: hash, passwordSetAt: i, passwordBasis: null, enabled: true });
    const writes: number[] = [];
    for (let i = 0; i < CHARGERS; i++) writes.push(await timed(() => chargers.write(`CP-${i}`, record(i))));
    const rebuildMs = await timed(async () => void (await chargers.rebuild(new SqliteChargerRegistry(db, []))));

    let now = Date.now();
    const transactions = new LedgerTransactions(ledger, new LedgerEnergy(ledger, () => now));
    for (let id = 1; id <= PRUNED; id++) {
      const at = { at: now, receivedAt: now, source: 'charger' as const };
      const start = { transactionId: id, chargerId: `CP-${id % CHARGERS}` };
      await transactions.started(
        { ...start, connectorId: 1, idTag: 'TAG-1', status: 'Accepted', meterStartWh: id, startedAt: at },
        { connectorId: 1, idTag: 'TAG-1', meterStart: id, timestamp: now },
      );
      await transactions.stopped({ ...start, meterStopWh: id + 100, reason: 'Local', stoppedAt: at });
    }
    now += 16 * 60_000;
    // The master's SQLite has its closed transactions already (the pass only makes sure of it).
    const store = new SqliteSessionStore(db);
    copyClosed(await transactions.read(), store);
    let pruned = { transactions: 0, startRequests: 0 };
    const pruneMs = await timed(async () => void (pruned = await pruneLedger(transactions, ledger, store, now)));
    const ms = (value: number) => value.toFixed(1);
    printTable(
      'Cluster ledger: charger credentials and pruning (same etcd and leader)',
      ['operation', 'count', 'median ms', 'p99 ms', 'total ms'],
      [
        [
          'charger record written (one at a time)',
          String(CHARGERS),
          ms(percentile(writes, 0.5)),
          ms(percentile(writes, 0.99)),
          ms(writes.reduce((a, b) => a + b, 0)),
        ],
        [`charger records read into SQLite (a new master)`, String(CHARGERS), '', '', ms(rebuildMs)],
        [
          `pruning pass (${pruned.transactions} transactions, ${pruned.startRequests} start requests)`,
          String(pruned.transactions * 2 + pruned.startRequests),
          '',
          '',
          ms(pruneMs),
        ],
      ],
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
