import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullPeerTransactions } from '../../../../edge/cluster/peer-transaction-sync';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import { SqliteSessionHistory } from '../../../../edge/store/session-history';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteTransactionExchange } from '../../../../edge/store/transaction-exchange-store';

/** One gateway: its real SQLite store, the session store the control loop writes through, its dashboard's history. */
interface Gateway {
  readonly db: StoreDatabase;
  readonly sessions: SqliteSessionStore;
  readonly history: SqliteSessionHistory;
  readonly exchange: SqliteTransactionExchange;
}

const at = (receivedAt: number) => ({ receivedAt, source: 'charger' as const });

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

const start = (g: Gateway, transactionId: number, meterStartWh: number) =>
  g.sessions.startSession(
    { transactionId, chargerId: 'CP-1', connectorId: 1, idTag: 'TAG', startedAt: 100, meterStartWh, energyWh: 0 },
    at(100),
  );
const stop = (g: Gateway, transactionId: number, meterStopWh: number) =>
  g.sessions.stopSession({ transactionId, stoppedAt: 500, meterStopWh, reason: 'Local' }, at(500));
const listed = (g: Gateway) =>
  g.history.recent(10).map(({ transactionId, stoppedAt, energyWh, otherGateway }) => ({
    transactionId,
    stopped: stoppedAt !== null,
    energyWh,
    otherGateway: otherGateway ?? false,
  }));

describe("the other gateway's open transactions", () => {
  let dir: string;
  let a: Gateway;
  let b: Gateway;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-open-'));
    [a, b] = ['a', 'b'].map((name) => {
      const db = openStoreDatabase(path.join(dir, name));
      return {
        db,
        sessions: new SqliteSessionStore(db),
        history: new SqliteSessionHistory(db),
        exchange: new SqliteTransactionExchange(db),
      };
    }) as [Gateway, Gateway];
  });
  afterEach(() => {
    a.db.close();
    b.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should be listed on this gateway's sessions as the other's, never run here, and replaced by the closed record", async () => {
    // Arrange: gw-a runs a transaction and has metered 1.2 kWh of it
    start(a, 7, 1_000);
    a.sessions.saveEnergy([{ transactionId: 7, energyWh: 1_200, energyAt: 300 }]);

    // Act
    await pull(b, a);

    // Assert: gw-b lists it as gw-a's, charging, with gw-a's energy; its control loop never sees it
    expect(listed(b)).toEqual([{ transactionId: 7, stopped: false, energyWh: 1_200, otherGateway: true }]);
    expect(b.sessions.openSessions()).toEqual([]);
    expect(b.exchange.page({ epoch: '', seq: 0 }, 10).records).toEqual([]);

    // And once gw-a closes it, gw-b holds the closed record alone, its energy counted once
    stop(a, 7, 4_000);
    await pull(b, a);
    expect(listed(b)).toEqual([{ transactionId: 7, stopped: true, energyWh: 3_000, otherGateway: false }]);
    expect(listed(a)).toEqual(listed(b));
  });

  it('should close a split transaction once on both, with the energy of its stop, while its start is still open', async () => {
    // Arrange: started on gw-a; the charger moved to gw-b with it and stopped it there
    start(a, 8, 2_000);
    a.sessions.saveEnergy([{ transactionId: 8, energyWh: 500, energyAt: 300 }]);
    stop(b, 8, 6_000);

    // Act: gw-b hears of the open start first, then gw-a of the stop
    await pull(b, a);
    const round = await pull(a, b);

    // Assert: one closed session of 4 kWh on each, none listed twice nor open
    const expected = [{ transactionId: 8, stopped: true, energyWh: 4_000, otherGateway: false }];
    expect(listed(b)).toEqual(expected);
    expect(listed(a)).toEqual(expected);
    expect(round.stopped).toBe(1);
    expect(a.sessions.openSessions()).toEqual([]);
  });
});
