/**
 * The forward log to the operator's CSMS through the ledger (edge/cluster/ledger-upstream-replica.ts), part of
 * `npm run bench -- ledger-writes`: what a master's group commits wait for once each one's changes go to etcd before
 * its writes settle. Rows: readings one after the other (each message its own group: the answer's
 * latency), 500 chargers' readings in one event-loop turn (one group: until the last charger is answered), the drain's
 * removal of each of one charger's messages with its delivered record (what the next message waits for), and a new
 * master's read of the ledger's log into its SQLite. The same rows without the ledger (a single agent) beside them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LeaderLedger } from '../edge/cluster/leader-ledger';
import type { LeaderTerm } from '../edge/cluster/leadership';
import { UpstreamLedgerReplica } from '../edge/cluster/ledger-upstream-replica';
import { takeUpstreamFromLedger } from '../edge/cluster/upstream-takeover';
import { openStoreDatabase, type StoreDatabase } from '../edge/store/store-database';
import { SqliteUpstreamDeliveredMessages } from '../edge/store/upstream-delivered-store';
import { SqliteUpstreamForwardLog } from '../edge/store/upstream-forward-log';
import { UpstreamGroupCommit } from '../edge/store/upstream-group-commit';
import { SqliteUpstreamLogAdoption } from '../edge/store/upstream-log-adoption';
import { UpstreamLogChanges } from '../edge/store/upstream-log-changes';
import { percentile, printTable } from './measure';

const SEQUENTIAL = 300;
const CHARGERS = 500;
const TURNS = 5;

const reading = (wh: number) => ({
  connectorId: 1,
  transactionId: 4711,
  meterValue: [
    {
      timestamp: new Date(1_764_800_000_000 + wh).toISOString(),
      sampledValue: [{ value: String(wh) }, { value: '16', measurand: 'Current.Import', phase: 'L1' }],
    },
  ],
});

function nodeOn(ledger: LeaderLedger | undefined, term: LeaderTerm | undefined) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-upstream-ledger-'));
  const db: StoreDatabase = openStoreDatabase(dir);
  const changes = ledger && new UpstreamLogChanges();
  const replica = ledger && new UpstreamLedgerReplica(ledger);
  if (replica && term) replica.begin(term, { entries: [], delivered: new Map(), lowestProvisionalId: undefined });
  const log = new SqliteUpstreamForwardLog(db, 10_000, () => undefined, changes);
  const delivered = new SqliteUpstreamDeliveredMessages(db, changes);
  const commits = new UpstreamGroupCommit(db, undefined, changes && replica && { changes, replica });
  return {
    db,
    replica,
    log,
    delivered,
    commits,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(ledger: LeaderLedger | undefined, term: LeaderTerm | undefined) {
  const node = nodeOn(ledger, term);
  try {
    const one: number[] = [];
    const seqs: number[] = [];
    for (let k = 0; k < SEQUENTIAL; k++) {
      const start = performance.now();
      // One reading per charger: each is written (a charger's readings past 20 are not).
      seqs.push(await node.commits.run(() => node.log.append(`CP-${k}`, 'MeterValues', reading(k), k)));
      one.push(performance.now() - start);
    }
    const removal: number[] = [];
    for (const [k, seq] of seqs.entries()) {
      const start = performance.now();
      await node.commits.run(() => {
        node.log.delivered(seq, { chargerId: `CP-${k}` });
        node.delivered.remember(`CP-${k}`, 'MeterValues', reading(k), {});
      });
      removal.push(performance.now() - start);
    }
    const turn: number[] = [];
    for (let t = 0; t < TURNS; t++) {
      const start = performance.now();
      await Promise.all(
        Array.from({ length: CHARGERS }, (_, c) =>
          node.commits.run(() => node.log.append(`CP-${c}`, 'MeterValues', reading(t), t)),
        ),
      );
      turn.push(performance.now() - start);
    }
    return { one, removal, turn };
  } finally {
    node.close();
  }
}

export async function benchUpstreamLedger(ledger: LeaderLedger, term: LeaderTerm): Promise<void> {
  const local = await measure(undefined, undefined);
  const replicated = await measure(ledger, term);
  // A new master's read: what the replicated run left (500 chargers' readings of 5 turns, 20 per charger at most).
  const next = nodeOn(undefined, undefined);
  let takeMs = 0;
  let taken = 0;
  try {
    const start = performance.now();
    const outcome = await takeUpstreamFromLedger(
      ledger,
      term,
      new SqliteUpstreamLogAdoption(next.db),
      new UpstreamLedgerReplica(ledger),
      { error: () => undefined },
    );
    takeMs = performance.now() - start;
    taken = outcome.entries + outcome.delivered;
  } finally {
    next.close();
  }
  const ms = (value: number) => value.toFixed(1);
  const row = (what: string, n: number, without: number[], with_: number[]) => [
    what,
    String(n),
    `${ms(percentile(without, 0.5))} / ${ms(percentile(without, 0.99))}`,
    `${ms(percentile(with_, 0.5))} / ${ms(percentile(with_, 0.99))}`,
  ];
  printTable(
    'Forward log to the CSMS through the ledger (3-member etcd on loopback; median / p99 ms)',
    ['what', 'n', 'without ledger', 'with ledger'],
    [
      row('a reading logged (its own group)', SEQUENTIAL, local.one, replicated.one),
      row('a delivered reading removed, with its record', SEQUENTIAL, local.removal, replicated.removal),
      row(`${CHARGERS} chargers' readings in one turn, until the last`, TURNS, local.turn, replicated.turn),
    ],
  );
  console.log(`  a new master's read of ${taken} upstream- records into SQLite: ${ms(takeMs)} ms`);
}
