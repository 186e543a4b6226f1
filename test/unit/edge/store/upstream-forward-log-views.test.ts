/**
 * What the dashboard reads of the forward log: the meter values its bound thinned (counted on disk, heard at once),
 * the provisional ids with the CSMS's ids, and the messages set aside (listed, and purged one by one, never a queued
 * one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamForwardLog } from '../../../../edge/store/upstream-forward-log';
import { SqliteUpstreamSetAside } from '../../../../edge/store/upstream-set-aside-store';

const start = (meterStart: number) => ({ connectorId: 1, idTag: 'T', meterStart, timestamp: '2026-12-03T01:00:00Z' });
const mv = (transactionId: number, wh: number) => ({ connectorId: 1, transactionId, meterValue: [{ wh }] });

describe('SqliteUpstreamForwardLog, as the dashboard reads it', () => {
  let dir: string;
  let db: StoreDatabase;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-forward-views-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should count the meter values its bound thins, per charger, across a restart, and tell of each at once', () => {
    // Arrange: room for two queued MeterValues
    const heard: string[] = [];
    const log = new SqliteUpstreamForwardLog(db, 2, (chargerId) => heard.push(chargerId));
    log.appendStart('CP-1', start(1), 0);

    // Act: five meter values of one transaction: three beyond the bound
    for (const wh of [1, 2, 3, 4, 5]) log.append('CP-1', 'MeterValues', mv(-2, wh), wh);
    db.close();
    db = openStoreDatabase(dir);
    const reopened = new SqliteUpstreamForwardLog(db, 2);

    // Assert
    expect(heard).toEqual(['CP-1', 'CP-1', 'CP-1']);
    expect(reopened.thinned('CP-1')).toBe(3);
    expect(reopened.thinned('CP-2')).toBe(0);
  });

  it('should list the provisional ids newest first, with the real id once the CSMS gave it', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, 100);
    const first = log.appendStart('CP-1', start(1), 0);
    log.appendStart('CP-1', start(2), 1);

    // Act
    log.delivered(first.seq, { chargerId: 'CP-1', realId: 4711 });

    // Assert
    expect(log.mappings('CP-1')).toEqual([
      { provisionalId: -2, realId: 4711 },
      { provisionalId: -3, realId: undefined },
    ]);
    expect(log.mappings('CP-2')).toEqual([]);
  });

  it('should list the messages set aside and purge one, but never a queued message', () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, 100);
    const refused = log.append('CP-1', 'StopTransaction', { transactionId: 9, meterStop: 1, timestamp: 'x' }, 1);
    const unmapped = log.append('CP-2', 'MeterValues', mv(-7, 1), 2);
    const queued = log.append('CP-1', 'MeterValues', mv(9, 2), 3);
    log.park(refused, 'refused');
    log.park(unmapped, 'unmapped');
    const aside = new SqliteUpstreamSetAside(db);

    // Act
    const listed = aside.setAside(10);
    const purgedQueued = aside.purgeSetAsideMessage(queued);
    const purged = aside.purgeSetAsideMessage(refused);

    // Assert
    expect(listed.map((m) => [m.seq, m.chargerId, m.action, m.reason])).toEqual([
      [refused, 'CP-1', 'StopTransaction', 'refused'],
      [unmapped, 'CP-2', 'MeterValues', 'unmapped'],
    ]);
    expect(aside.setAsideCount('CP-2')).toEqual({ refused: 0, unmapped: 1 });
    expect(purgedQueued).toBeUndefined();
    expect(purged?.seq).toBe(refused);
    expect(aside.setAside(10).map((m) => m.seq)).toEqual([unmapped]);
    expect(log.backlog('CP-1').messages).toBe(1);
  });
});
