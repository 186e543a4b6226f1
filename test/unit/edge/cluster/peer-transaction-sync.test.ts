import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NODE_ID_RANGE } from '../../../../edge/cluster/two-gateway-node';
import { PEER_PAGE_RECORDS, pullPeerTransactions } from '../../../../edge/cluster/peer-transaction-sync';
import type { PeerCursor } from '../../../../edge/cluster/transaction-merge';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteTransactionExchange } from '../../../../edge/store/transaction-exchange-store';
import { databaseBefore } from '../store/support/database-before';

/** One gateway: its real SQLite store, with the session store the control loop writes through and the exchange. */
interface Gateway {
  readonly db: StoreDatabase;
  readonly sessions: SqliteSessionStore;
  readonly exchange: SqliteTransactionExchange;
}

function gateway(dir: string): Gateway {
  const db = openStoreDatabase(dir);
  return { db, sessions: new SqliteSessionStore(db), exchange: new SqliteTransactionExchange(db) };
}

/** `to` takes `from`'s records; an open transaction it must stop goes to its store as the control loop's stop does. */
function pull(to: Gateway, from: Gateway) {
  return pullPeerTransactions({
    source: { page: (cursor, limit) => Promise.resolve(from.exchange.page(cursor, limit)) },
    exchange: to.exchange,
    control: {
      onChargerInput(input: ChargerInput) {
        if (input.type !== 'transactionStopped') throw new Error(`unexpected input ${input.type}`);
        const { transactionId, meterStopWh, reason, stoppedAt } = input;
        to.sessions.stopSession(
          { transactionId, stoppedAt: stoppedAt.at, meterStopWh, reason },
          { receivedAt: stoppedAt.receivedAt, source: stoppedAt.source },
        );
      },
    },
    now: () => 0,
  });
}

interface StoredRow {
  id: number;
  charger_id: string;
  meter_start_wh: number;
  stopped_at: number | null;
  meter_stop_wh: number | null;
  stop_received_at: number | null;
  energy_wh: number;
}
const rows = (g: Gateway) =>
  g.db
    .prepare<[], StoredRow>(
      'SELECT id, charger_id, meter_start_wh, stopped_at, meter_stop_wh, stop_received_at, energy_wh FROM transactions ORDER BY id',
    )
    .all();
const closedRows = (g: Gateway) => rows(g).filter((row) => row.stopped_at !== null);

/** A transaction as its charger sent it: started on one gateway, stopped (or not yet) on either or, sent again, on both. */
const transactionArb = fc.record({
  owner: fc.constantFrom(0, 1),
  meterStartWh: fc.integer({ min: 0, max: 10_000 }),
  stop: fc.option(
    fc.record({
      first: fc.constantFrom(0, 1),
      again: fc.boolean(),
      energyWh: fc.integer({ min: 0, max: 80_000 }),
      receivedAt: fc.integer({ min: 10, max: 1_000 }),
    }),
    { nil: undefined },
  ),
});
type SentTransaction = typeof transactionArb extends fc.Arbitrary<infer T> ? T : never;
type Sent = { readonly run: (gateways: readonly [Gateway, Gateway]) => void };

/** The chargers' messages, in order per transaction: its start, then its stop, then the stop sent again. */
function messages(transactions: SentTransaction[]): { sent: Sent[]; ids: number[] } {
  const sent: Sent[] = [];
  const ids: number[] = [];
  transactions.forEach((t, index) => {
    const transactionId = t.owner * NODE_ID_RANGE + index + 1;
    ids.push(transactionId);
    const session = { transactionId, chargerId: `CP-${index}`, connectorId: 1, idTag: 'TAG', energyWh: 0 };
    sent.push({
      run: (g) =>
        g[t.owner].sessions.startSession(
          { ...session, startedAt: 5, meterStartWh: t.meterStartWh },
          { receivedAt: 5, source: 'charger' },
        ),
    });
    const { stop } = t;
    if (stop === undefined) return;
    const message = {
      transactionId,
      stoppedAt: stop.receivedAt,
      meterStopWh: t.meterStartWh + stop.energyWh,
      reason: 'Local',
    };
    sent.push({
      run: (g) => g[stop.first].sessions.stopSession(message, { receivedAt: stop.receivedAt, source: 'charger' }),
    });
    if (stop.again)
      sent.push({
        run: (g) =>
          g[1 - stop.first]!.sessions.stopSession(message, { receivedAt: stop.receivedAt + 30, source: 'charger' }),
      });
  });
  return { sent, ids };
}

describe('merging the two gateways records after a partition', () => {
  it('should leave both stores with every closed transaction once, joined, whatever the split and the order of the exchanges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(transactionArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.constantFrom('message', 'pull-a', 'pull-b'), { maxLength: 30 }),
        async (transactions, steps) => {
          const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-merge-'));
          const gateways = [gateway(path.join(dir, 'a')), gateway(path.join(dir, 'b'))] as const;
          try {
            // Arrange: the chargers' messages interleaved with exchanges
            const { sent, ids } = messages(transactions);
            let next = 0;
            for (const step of steps) {
              if (step === 'message') sent[next++]?.run(gateways);
              else if (step === 'pull-a') await pull(gateways[0], gateways[1]);
              else await pull(gateways[1], gateways[0]);
            }
            for (const message of sent.slice(next)) message.run(gateways);

            // Act: the partition heals; each side asks the other twice
            for (let round = 0; round < 2; round++) {
              await pull(gateways[0], gateways[1]);
              await pull(gateways[1], gateways[0]);
            }

            // Assert: every stopped transaction closed once on both, with its energy; open ones only on their owner
            const expected = transactions
              .flatMap((t, index) =>
                t.stop === undefined
                  ? []
                  : [
                      {
                        id: ids[index]!,
                        meter_stop_wh: t.meterStartWh + t.stop.energyWh,
                        // A stop sent again to the other gateway: both keep the one received first
                        stop_received_at: t.stop.receivedAt,
                        energy_wh: t.stop.energyWh,
                      },
                    ],
              )
              .sort((x, y) => x.id - y.id);
            for (const g of gateways) {
              const closed = closedRows(g).map(({ id, meter_stop_wh, stop_received_at, energy_wh }) => ({
                id,
                meter_stop_wh,
                stop_received_at,
                energy_wh,
              }));
              expect(closed).toEqual(expected);
              expect(g.db.prepare('SELECT count(*) AS n FROM transaction_parts').get()).toEqual({ n: 0 });
              const stillListed = g.db.prepare<[], { id: number }>('SELECT id FROM peer_open_transactions').all();
              expect(stillListed.filter(({ id }) => expected.some((t) => t.id === id))).toEqual([]);
            }
            transactions.forEach((t, index) => {
              if (t.stop !== undefined) return;
              const open = (g: Gateway) => rows(g).filter((row) => row.id === ids[index]).length;
              expect([open(gateways[0]), open(gateways[1])]).toEqual(t.owner === 0 ? [1, 0] : [0, 1]);
              // and the other gateway lists it as its owner's, apart from its own
              const other = gateways[1 - t.owner]!;
              expect(other.db.prepare('SELECT id FROM peer_open_transactions').all()).toContainEqual({
                id: ids[index],
              });
            });
            // And a further exchange changes nothing (nothing is sent back and forth for ever)
            expect(await pull(gateways[0], gateways[1])).toEqual({
              stored: 0,
              stopped: 0,
              collisions: [],
              pruned: 0,
              caughtUp: true,
            });
            expect(await pull(gateways[1], gateways[0])).toEqual({
              stored: 0,
              stopped: 0,
              collisions: [],
              pruned: 0,
              caughtUp: true,
            });
          } finally {
            for (const g of gateways) g.db.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('should offer the transactions a store held before the exchange existed, the open one as open', () => {
    // Arrange: a store at the schema before the exchange, with a closed and an open transaction
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-merge-'));
    try {
      const old = databaseBefore(path.join(dir, DATABASE_FILE), 'transaction_changes');
      const insert = old.prepare(
        `INSERT INTO transactions (id, charger_id, connector_id, started_at, meter_start_wh, energy_wh, stopped_at,
           meter_stop_wh, stop_reason, start_received_at, stop_received_at) VALUES (?, 'CP-1', 1, 10, 0, 0, ?, ?, 'Local', 10, ?)`,
      );
      insert.run(3, 20, 500, 20);
      insert.run(4, null, null, null);
      old.close();

      // Act
      const db = openStoreDatabase(dir);
      const page = new SqliteTransactionExchange(db).page({ epoch: '', seq: 0 }, 10);
      db.close();

      // Assert
      expect(page.records.map((record) => [record.transactionId, record.stop?.meterStopWh])).toEqual([
        [3, 500],
        [4, undefined],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should take a long history in bounded pages', async () => {
    // Arrange: gw-a closed more transactions than one page holds
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-merge-'));
    const [a, b] = [gateway(path.join(dir, 'a')), gateway(path.join(dir, 'b'))];
    try {
      const count = PEER_PAGE_RECORDS * 2 + 7;
      a.db.transaction(() => {
        for (let id = 1; id <= count; id++) {
          const session = { transactionId: id, chargerId: 'CP-1', connectorId: 1, idTag: undefined, energyWh: 0 };
          a.sessions.startSession(
            { ...session, startedAt: id, meterStartWh: 0 },
            { receivedAt: id, source: 'charger' },
          );
          a.sessions.stopSession(
            { transactionId: id, stoppedAt: id + 1, meterStopWh: 100, reason: 'Local' },
            { receivedAt: id + 1, source: 'charger' },
          );
        }
      })();
      const pages: number[] = [];
      const source = {
        page: (cursor: PeerCursor, limit: number) => {
          const page = a.exchange.page(cursor, limit);
          pages.push(page.records.length);
          return Promise.resolve(page);
        },
      };

      // Act
      const round = await pullPeerTransactions({
        source,
        exchange: b.exchange,
        control: { onChargerInput: () => undefined },
        now: () => 0,
      });

      // Assert
      expect(round).toEqual({ stored: count, stopped: 0, collisions: [], pruned: 0, caughtUp: true });
      expect(pages).toEqual([PEER_PAGE_RECORDS, PEER_PAGE_RECORDS, 7]);
      expect(closedRows(b)).toHaveLength(count);
    } finally {
      a.db.close();
      b.db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
