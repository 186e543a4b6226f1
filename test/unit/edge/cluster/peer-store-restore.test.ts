import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PeerTransactionSource, pullPeerTransactions } from '../../../../edge/cluster/peer-transaction-sync';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteTransactionExchange } from '../../../../edge/store/transaction-exchange-store';

/** One gateway's real SQLite store in its own data folder. */
class Gateway {
  db!: StoreDatabase;
  sessions!: SqliteSessionStore;
  exchange!: SqliteTransactionExchange;

  constructor(readonly dir: string) {
    this.open();
  }

  open(): void {
    this.db = openStoreDatabase(this.dir);
    this.sessions = new SqliteSessionStore(this.db);
    this.exchange = new SqliteTransactionExchange(this.db);
  }

  /** A transaction started and stopped on this gateway. */
  run(transactionId: number): void {
    const session = { transactionId, chargerId: 'CP-1', connectorId: 1, idTag: 'TAG', energyWh: 0 };
    this.sessions.startSession({ ...session, startedAt: transactionId, meterStartWh: 0 }, at(transactionId));
    this.sessions.stopSession(
      { transactionId, stoppedAt: transactionId + 1, meterStopWh: 1_000, reason: 'Local' },
      at(transactionId + 1),
    );
  }

  closedIds(): number[] {
    return this.db
      .prepare<[], { id: number }>('SELECT id FROM transactions WHERE stopped_at IS NOT NULL ORDER BY id')
      .all()
      .map((row) => row.id);
  }
}

const at = (receivedAt: number) => ({ receivedAt, source: 'charger' as const });

/** `from`'s pages as the peer link would hand them over. */
const source = (from: Gateway): PeerTransactionSource => ({
  page: (cursor, limit) => Promise.resolve(from.exchange.page(cursor, limit)),
});

/** `to` takes `from`'s records. */
function pull(to: Gateway, from: Gateway) {
  return pullPeerTransactions({
    source: source(from),
    exchange: to.exchange,
    control: { onChargerInput: () => undefined },
    now: () => 0,
  });
}

describe('a gateway whose store was replaced by an older copy', () => {
  let dir: string;
  let gateways: Gateway[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-restore-'));
    gateways = [];
  });
  afterEach(() => {
    for (const g of gateways) if (g.db.open) g.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should still hand its new transactions to the other gateway, with no step by hand', async () => {
    // Arrange: gw-a backs its store up after two transactions, runs two more, and gw-b takes all four
    const [a, b] = [new Gateway(path.join(dir, 'a')), new Gateway(path.join(dir, 'b'))];
    gateways.push(a, b);
    a.run(1);
    a.run(2);
    const backup = path.join(dir, 'backup.sqlite');
    await a.db.backup(backup);
    a.run(3);
    a.run(4);
    await pull(b, a);
    expect(b.closedIds()).toEqual([1, 2, 3, 4]);

    // Act: gw-a's store is replaced by the backup (its disk was swapped), and it runs two new transactions
    a.db.close();
    rmSync(a.dir, { recursive: true, force: true });
    mkdirSync(a.dir);
    copyFileSync(backup, path.join(a.dir, DATABASE_FILE));
    a.open();
    a.run(5);
    a.run(6);
    await pull(b, a);

    // Assert: gw-b has them too
    expect(b.closedIds()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('should not let a record of the lost store close the transaction a restored store runs under the same id', async () => {
    // Arrange: gw-a ran transaction 3 after its backup, and gw-b took it; gw-a's store is replaced by the backup
    const [a, b] = [new Gateway(path.join(dir, 'a')), new Gateway(path.join(dir, 'b'))];
    gateways.push(a, b);
    a.run(1);
    const backup = path.join(dir, 'backup.sqlite');
    await a.db.backup(backup);
    a.run(3);
    await pull(b, a);
    a.db.close();
    rmSync(a.dir, { recursive: true, force: true });
    mkdirSync(a.dir);
    copyFileSync(backup, path.join(a.dir, DATABASE_FILE));
    a.open();
    // gw-a's counter is the backup's: it hands out 3 again, to another charging session
    const session = { transactionId: 3, chargerId: 'CP-2', connectorId: 1, idTag: 'OTHER', energyWh: 0 };
    a.sessions.startSession({ ...session, startedAt: 50, meterStartWh: 7_000 }, at(50));
    const stopped: number[] = [];

    // Act: the two exchange
    const control = {
      onChargerInput: (input: ChargerInput) => {
        if (input.type === 'transactionStopped') stopped.push(input.transactionId);
      },
    };
    for (let round = 0; round < 2; round++) {
      await pullPeerTransactions({ source: source(b), exchange: a.exchange, control, now: () => 0 });
      await pull(b, a);
    }

    // Assert: gw-a's new session under id 3 runs on, and gw-b keeps the lost one as it was
    expect(stopped).toEqual([]);
    expect(a.sessions.openSessions().map((s) => [s.transactionId, s.chargerId])).toEqual([[3, 'CP-2']]);
    expect(b.db.prepare('SELECT id, charger_id, energy_wh FROM transactions ORDER BY id').all()).toEqual([
      { id: 1, charger_id: 'CP-1', energy_wh: 1_000 },
      { id: 3, charger_id: 'CP-1', energy_wh: 1_000 },
    ]);
  });

  it('should not send the other gateway its whole history again when it only restarted', async () => {
    // Arrange: gw-b took gw-a's history, then gw-a restarts
    const [a, b] = [new Gateway(path.join(dir, 'a')), new Gateway(path.join(dir, 'b'))];
    gateways.push(a, b);
    for (let id = 1; id <= 5; id++) a.run(id);
    await pull(b, a);
    a.db.close();
    a.open();
    a.run(6);
    const sent: number[] = [];
    const source = {
      page: (cursor: Parameters<SqliteTransactionExchange['page']>[0], limit: number) => {
        const page = a.exchange.page(cursor, limit);
        sent.push(...page.records.map((record) => record.transactionId));
        return Promise.resolve(page);
      },
    };

    // Act
    await pullPeerTransactions({
      source,
      exchange: b.exchange,
      control: { onChargerInput: () => undefined },
      now: () => 0,
    });

    // Assert
    expect(sent).toEqual([6]);
    expect(b.closedIds()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
