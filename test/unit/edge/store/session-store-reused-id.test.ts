/**
 * A transaction id may come back: a site that ran without an `upstream` section handed out its own ids (1, 2, …), and
 * the operator's CSMS, once in front, hands out its own from whatever range it uses, so it may give a new session an id
 * a stored session already holds (docs/csms.md). Both sessions are kept, each with its own energy and stop.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteSessionHistory } from '../../../../edge/store/session-history';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { DATABASE_FILE, openStoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamForwardLog } from '../../../../edge/store/upstream-forward-log';
import { TransactionIdBlocks } from '../../../../edge/store/transaction-id-blocks';
import { useTempStore } from './support/temp-store';
import { databaseBefore } from './support/database-before';

const RECEIVED = { receivedAt: 0, source: 'charger' } as const;
const session = (transactionId: number, chargerId: string, startedAt: number) => ({
  transactionId,
  chargerId,
  connectorId: 1,
  idTag: 'TAG',
  startedAt,
  meterStartWh: 0,
  energyWh: 0,
});

describe('SqliteSessionStore: an id a stored session holds, given again', () => {
  const store = useTempStore('ampshare-reused-id-');

  it('should keep a new session under an id the agent handed out before the CSMS was in front, and the old one as it was', () => {
    // Arrange: without a CSMS, the agent's own id 1 for a session on CP-1, stopped
    const local = new TransactionIdBlocks(store.db);
    const sessions = new SqliteSessionStore(store.db);
    return local.next().then((localId) => {
      sessions.startSession(session(localId, 'CP-1', 1_000), RECEIVED);
      sessions.stopSession({ transactionId: localId, stoppedAt: 2_000, meterStopWh: 500, reason: 'Local' }, RECEIVED);

      // Act: in front of a CSMS, the CSMS gives a session on CP-2 the same id; it charges and stops; the charger
      // repeats its start meanwhile
      sessions.startSession(session(localId, 'CP-2', 5_000), RECEIVED);
      sessions.saveEnergy([{ transactionId: localId, energyWh: 300, energyAt: 5_500 }]);
      sessions.startSession(session(localId, 'CP-2', 5_000), RECEIVED);
      const openWhileCharging = sessions.openSessions();
      sessions.stopSession(
        { transactionId: localId, stoppedAt: 6_000, meterStopWh: 900, reason: 'EVDisconnected' },
        RECEIVED,
      );

      // Assert: both sessions, each with its own energy (before: the new one was not stored, and its energy and stop
      // went to the old one); provisional ids still below every stored id
      expect(openWhileCharging.map((s) => [s.transactionId, s.chargerId])).toEqual([[localId, 'CP-2']]);
      expect(
        new SqliteSessionHistory(store.db)
          .recent(10)
          .map((s) => [s.transactionId, s.chargerId, s.energyWh, s.stoppedAt]),
      ).toEqual([
        [localId, 'CP-2', 900, 6_000],
        [localId, 'CP-1', 500, 2_000],
      ]);
      expect(sessions.openSessions()).toEqual([]);
      expect(new SqliteUpstreamForwardLog(store.db, 1_000).appendStart('CP-1', { n: 1 }, 0).provisionalId).toBe(-2);
    });
  });

  it('should keep the sessions of a database of the previous version, and their ids', () => {
    // Arrange: a database one migration old, with a stopped session
    store.db.close();
    rmSync(path.join(store.dir, DATABASE_FILE));
    const old = databaseBefore(path.join(store.dir, DATABASE_FILE), 'CREATE TABLE transactions_by_row');
    old
      .prepare(
        `INSERT INTO transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh, stopped_at)
         VALUES (7, 'CP-1', 1, 'TAG', 1000, 0, 250, 2000)`,
      )
      .run();
    old.close();

    // Act
    store.db = openStoreDatabase(store.dir);

    // Assert
    expect(new SqliteSessionHistory(store.db).recent(10).map((s) => [s.transactionId, s.energyWh])).toEqual([[7, 250]]);
    expect(new TransactionIdBlocks(store.db).highestReserved).toBeGreaterThan(7);
  });
});
