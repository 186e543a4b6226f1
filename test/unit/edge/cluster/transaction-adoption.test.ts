/**
 * Issue 15: a new master copies into its SQLite the transactions the ledger holds closed that it lacks (one started
 * and stopped wholly on the old master), once, whatever the takeovers; open ones still go through the control loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChargerTime } from '../../../../edge/control/charger-time';
import type { LedgerTransaction } from '../../../../edge/cluster/ledger-transactions';
import { adoptTransactions } from '../../../../edge/cluster/transaction-adoption';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import { SqliteSessionHistory } from '../../../../edge/store/session-history';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';

const at = (ms: number): ChargerTime => ({ at: ms, receivedAt: ms + 50, source: 'charger' });
const start = (transactionId: number, status = 'Accepted') => ({
  transactionId,
  chargerId: 'CP-1',
  connectorId: 1,
  idTag: 'TAG-1',
  status,
  meterStartWh: 1_000,
  startedAt: at(10_000 * transactionId),
});
const stop = (transactionId: number, meterStopWh: number) => ({
  transactionId,
  chargerId: 'CP-1',
  meterStopWh,
  reason: 'Local',
  stoppedAt: at(10_000 * transactionId + 5_000),
});

describe('adopting the ledger at a takeover', () => {
  let dir: string;
  let db: StoreDatabase;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-adopt-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should copy closed transactions it lacks into the history once, and leave open ones to the control loop', () => {
    // Arrange: 1 closed on the old master, 2 open there, 3 refused, 4 open here and stopped there, 5 closed here too
    const store = new SqliteSessionStore(db);
    const received = { receivedAt: 1, source: 'charger' } as const;
    for (const id of [4, 5])
      store.startSession({ ...start(id), startedAt: start(id).startedAt.at, energyWh: 0 }, received);
    store.stopSession({ transactionId: 5, stoppedAt: 55_000, meterStopWh: 1_500, reason: 'Local' }, received);
    const ledger = new Map<number, LedgerTransaction>([
      [1, { start: start(1), stop: stop(1, 4_000) }],
      [2, { start: start(2) }],
      [3, { start: start(3, 'Invalid'), stop: stop(3, 1_000) }],
      [4, { start: start(4), stop: stop(4, 2_000) }],
      [5, { start: start(5), stop: stop(5, 1_500) }],
    ]);
    const inputs: ChargerInput[] = [];
    const sinks = { control: { onChargerInput: (input: ChargerInput) => inputs.push(input) }, history: store };

    // Act: two takeovers by this node
    const first = adoptTransactions(ledger, store.openSessions(), sinks, 99_000);
    const second = adoptTransactions(ledger, store.openSessions(), sinks, 99_000);

    // Assert
    expect(first).toEqual({ started: 1, stopped: 1, copied: 1 });
    expect(second.copied).toBe(0);
    const history = new SqliteSessionHistory(db).recent(10);
    expect(history.map((s) => [s.transactionId, s.stoppedAt, s.energyWh])).toEqual([
      [5, 55_000, 500],
      [4, null, 0],
      [1, 15_000, 3_000],
    ]);
    expect(history.find((s) => s.transactionId === 1)).toMatchObject({
      chargerId: 'CP-1',
      connectorId: 1,
      idTag: 'TAG-1',
    });
    expect(inputs.filter((i) => i.type === 'transactionStopped').map((i) => i.transactionId)).toEqual([4, 4]);
  });
});
