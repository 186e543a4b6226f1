import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamForwardLog } from '../../../../edge/store/upstream-forward-log';
import { databaseBefore } from './support/database-before';

const MAX_METER_VALUES = 1_000;
const start = (meterStart: number) => ({ connectorId: 1, idTag: 'T', meterStart, timestamp: '2026-12-03T01:00:00Z' });

describe('SqliteUpstreamForwardLog', () => {
  let dir: string;
  let db: StoreDatabase;
  const reopen = () => {
    db.close();
    db = openStoreDatabase(dir);
    return new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-forward-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should hand out provisional ids from -2 down, unique across restarts', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);

    // Act
    const ids = [log.appendStart('CP-1', start(1), 0), log.appendStart('CP-2', start(2), 0)].map(
      (s) => s.provisionalId,
    );
    ids.push(reopen().appendStart('CP-1', start(3), 0).provisionalId);

    // Assert
    expect(ids).toEqual([-2, -3, -4]);
  });

  it('should never hand out a provisional id a stored session holds, even when the counter was lost', () => {
    // Arrange: a session under -9 and no counter
    new SqliteSessionStore(db).startSession(
      { transactionId: -9, chargerId: 'CP-1', connectorId: 1, idTag: 'T', startedAt: 0, meterStartWh: 0, energyWh: 0 },
      { receivedAt: 0, source: 'charger' },
    );

    // Act
    const { provisionalId } = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES).appendStart('CP-1', start(1), 0);

    // Assert
    expect(provisionalId).toBe(-10);
  });

  it('should add a StartTransaction the charger retried unchanged only once, and answer it with the same id', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);
    const first = log.appendStart('CP-1', start(1), 0);
    log.answered(first.provisionalId, 'provisional');

    // Act
    const again = log.appendStart('CP-1', start(1), 5);

    // Assert
    expect(again).toEqual({ ...first, chargerKnows: 'provisional', added: false });
    expect(log.backlog('CP-1')).toEqual({ messages: 1, oldestAt: 0 });
  });

  it('should add a StopTransaction or MeterValues the charger sent again while the first is queued only once', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);
    const meterValues = { connectorId: 1, transactionId: -2, meterValue: [] };
    const stop = { transactionId: -2, meterStop: 10, timestamp: '2026-12-03T01:20:00Z' };
    const first = [log.append('CP-1', 'MeterValues', meterValues, 0), log.append('CP-1', 'StopTransaction', stop, 1)];

    // Act
    const again = [log.append('CP-1', 'MeterValues', meterValues, 2), log.append('CP-1', 'StopTransaction', stop, 3)];
    const otherCharger = log.append('CP-2', 'StopTransaction', stop, 4);

    // Assert
    expect(again).toEqual(first);
    expect(otherCharger).not.toBe(first[1]);
    expect(log.backlog('CP-1')).toEqual({ messages: 2, oldestAt: 0 });
  });

  it('should deliver in order per charger, keep the real id, and drop the mapping once the stop is delivered', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);
    const queued = log.appendStart('CP-1', start(1), 0);
    log.answered(queued.provisionalId, 'provisional');
    const stopSeq = log.append('CP-1', 'StopTransaction', { transactionId: queued.provisionalId, meterStop: 5 }, 1);
    log.append('CP-2', 'MeterValues', { connectorId: 1, meterValue: [] }, 2);

    // Act & Assert
    expect(log.next('CP-1')).toMatchObject({ seq: queued.seq, action: 'StartTransaction' });
    log.delivered(queued.seq, { chargerId: 'CP-1', realId: 4711 });
    expect(log.realIdOf('CP-1', queued.provisionalId)).toBe(4711);
    expect(reopen().provisionalIdOf('CP-1', 4711)).toBe(queued.provisionalId);
    const log2 = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);
    expect(log2.next('CP-1')).toMatchObject({ seq: stopSeq, action: 'StopTransaction' });
    log2.delivered(stopSeq, { chargerId: 'CP-1', stoppedId: queued.provisionalId });
    expect(log2.next('CP-1')).toBeUndefined();
    expect(log2.realIdOf('CP-1', queued.provisionalId)).toBeUndefined();
    expect(log2.next('CP-2')).toMatchObject({ action: 'MeterValues' });
  });

  it('should set a refused message aside without losing it, and the next one comes first', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, MAX_METER_VALUES);
    const refused = log.append('CP-1', 'MeterValues', { connectorId: 1, meterValue: [] }, 0);
    const after = log.append('CP-1', 'MeterValues', { connectorId: 2, meterValue: [] }, 1);

    // Act
    log.park(refused, 'refused');

    // Assert
    expect(log.next('CP-1')?.seq).toBe(after);
    expect(db.prepare('SELECT state FROM upstream_log WHERE seq = ?').get(refused)).toEqual({ state: 'refused' });
  });

  it('should thin the oldest meter values beyond its bound, keeping starts, stops and each transaction’s first and last', () => {
    // Arrange: room for three queued MeterValues
    const log = new SqliteUpstreamForwardLog(db, 3);
    const mv = (transactionId: number, wh: number) => ({ connectorId: 1, transactionId, meterValue: [{ wh }] });
    const stop = (transactionId: number) => ({ transactionId, meterStop: 9, timestamp: '2026-12-03T01:20:00Z' });

    // Act: transaction -2 with four meter values and a stop, then transaction -3 with two
    log.appendStart('CP-1', start(1), 0);
    for (const wh of [1, 2, 3, 4]) log.append('CP-1', 'MeterValues', mv(-2, wh), wh);
    log.append('CP-1', 'StopTransaction', stop(-2), 5);
    log.appendStart('CP-1', start(2), 6);
    for (const wh of [5, 6]) log.append('CP-1', 'MeterValues', mv(-3, wh), wh + 2);
    log.append('CP-2', 'MeterValues', mv(-9, 1), 9);

    // Assert: -2's middle readings went; nothing else, nothing of another charger
    const queued: unknown[] = [];
    for (let next = log.next('CP-1'); next !== undefined; next = log.next('CP-1')) {
      queued.push(next.action === 'MeterValues' ? next.payload.meterValue : next.action);
      log.delivered(next.seq, { chargerId: 'CP-1' });
    }
    expect(queued).toEqual([
      'StartTransaction',
      [{ wh: 1 }],
      [{ wh: 4 }],
      'StopTransaction',
      'StartTransaction',
      [{ wh: 5 }],
      [{ wh: 6 }],
    ]);
    expect(log.backlog('CP-2').messages).toBe(1);
  });

  it('should add its tables to a database of the previous version', () => {
    // Arrange
    db.close();
    rmSync(path.join(dir, DATABASE_FILE));
    databaseBefore(path.join(dir, DATABASE_FILE), 'CREATE TABLE upstream_log').close();

    // Act
    db = openStoreDatabase(dir);

    // Assert
    expect(new SqliteUpstreamForwardLog(db, MAX_METER_VALUES).appendStart('CP-1', start(1), 0).provisionalId).toBe(-2);
  });
});
