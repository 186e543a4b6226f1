import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullPeerTransactions } from '../../../../edge/cluster/peer-transaction-sync';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteTransactionExchange } from '../../../../edge/store/transaction-exchange-store';
import { STRAY_STOP_RETENTION_MS } from '../../../../edge/store/stray-stop-pruning';

interface Gateway {
  readonly db: StoreDatabase;
  readonly sessions: SqliteSessionStore;
  readonly exchange: SqliteTransactionExchange;
}

const RECEIVED_AT = 1_000_000;
const at = (receivedAt: number) => ({ receivedAt, source: 'charger' as const });

/** `to` takes `from`'s records at `now`; an open transaction it must stop goes to its store as the control loop's does. */
function pull(to: Gateway, from: Gateway, now: number) {
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
    now: () => now,
  });
}

const strayStops = (g: Gateway) =>
  g.db
    .prepare<[], { id: number }>('SELECT id FROM transaction_parts ORDER BY id')
    .all()
    .map((row) => row.id);
const changeRows = (g: Gateway) =>
  g.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM transaction_changes').get()?.n;
/** A charger's stop for transaction `id`, received at RECEIVED_AT. */
const strayStop = (g: Gateway, id: number) =>
  g.sessions.stopSession(
    { transactionId: id, stoppedAt: RECEIVED_AT, meterStopWh: 900, reason: 'Local' },
    at(RECEIVED_AT),
  );

describe('stray stops between the two gateways', () => {
  let dir: string;
  let a: Gateway;
  let b: Gateway;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-stray-'));
    [a, b] = ['a', 'b'].map((name) => {
      const db = openStoreDatabase(path.join(dir, name));
      return { db, sessions: new SqliteSessionStore(db), exchange: new SqliteTransactionExchange(db) };
    }) as [Gateway, Gateway];
  });
  afterEach(() => {
    a.db.close();
    b.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should drop a stray stop no start matched, on both, once the other has taken it and the retention is over', async () => {
    // Arrange: gw-b got a stop for a transaction neither gateway has a start of
    strayStop(b, 42);
    const later = RECEIVED_AT + STRAY_STOP_RETENTION_MS + 1;

    // Act: the two exchange for a while after the retention
    for (let round = 0; round < 3; round++) {
      await pull(a, b, later);
      await pull(b, a, later);
    }

    // Assert: gone from both stores, its change rows too
    expect([strayStops(a), strayStops(b)]).toEqual([[], []]);
    expect([changeRows(a), changeRows(b)]).toEqual([0, 0]);
  });

  it('should keep a stray stop the other gateway has not taken, however old, since only it can end its transaction', async () => {
    // Arrange: gw-a has the transaction open; the charger stopped it on gw-b; the two stay apart past the retention
    a.sessions.startSession(
      {
        transactionId: 7,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: 'T',
        startedAt: 10,
        meterStartWh: 100,
        energyWh: 0,
      },
      at(10),
    );
    strayStop(b, 7);
    const later = RECEIVED_AT + 10 * STRAY_STOP_RETENTION_MS;
    expect(b.exchange.pruneStrayStops(later)).toBe(0);
    expect(strayStops(b)).toEqual([7]);

    // Act: the partition heals
    await pull(a, b, later);
    await pull(b, a, later);

    // Assert: the stop ended gw-a's transaction, and the stray stop gave way to the closed record on gw-b
    const closed = (g: Gateway) =>
      g.db.prepare('SELECT id, energy_wh FROM transactions WHERE stopped_at IS NOT NULL').all();
    expect(closed(a)).toEqual([{ id: 7, energy_wh: 800 }]);
    expect(closed(b)).toEqual([{ id: 7, energy_wh: 800 }]);
    expect(strayStops(b)).toEqual([]);
  });

  it('should keep a stray stop the other gateway has taken while the retention runs', async () => {
    strayStop(b, 42);
    await pull(a, b, RECEIVED_AT + 60_000);
    await pull(b, a, RECEIVED_AT + 60_000);
    await pull(a, b, RECEIVED_AT + 60_000);
    expect([strayStops(a), strayStops(b)]).toEqual([[42], [42]]);
  });
});
