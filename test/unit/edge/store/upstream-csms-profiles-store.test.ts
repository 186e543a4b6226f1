import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamCsmsProfileStore } from '../../../../edge/store/upstream-csms-profiles-store';
import { CsmsLimits } from '../../../../edge/upstream/csms-limits';
import { setProfile, T0 } from '../upstream/csms-profiles';
import { databaseBefore } from './support/database-before';

const SETTINGS = { nominalVolts: 230, maxProfilesPerCharger: 8 };
const RUNNING = { chargerId: 'CP-1', connectorId: 1, transactionId: 41, startedAt: T0 };

describe('CsmsLimits kept in SQLite (SqliteUpstreamCsmsProfileStore)', () => {
  let dir: string;
  let db: StoreDatabase;
  const restarted = () => {
    db.close();
    db = openStoreDatabase(dir);
    return new CsmsLimits(SETTINGS, new SqliteUpstreamCsmsProfileStore(db));
  };
  const ceiling = (limits: CsmsLimits) =>
    limits.lowestDuring('CP-1', { connectorId: 1, phases: 3 }, T0 + 60_000, T0 + 120_000)?.amps;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-csms-profiles-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should cap as before a restart: the CSMS's profiles and the running transaction's TxProfile", async () => {
    // Arrange
    const limits = new CsmsLimits(SETTINGS, new SqliteUpstreamCsmsProfileStore(db));
    limits.transactionStarted('CP-1', 1, RUNNING);
    await limits.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 16]] }));
    await limits.record('CP-1', 'SetChargingProfile', setProfile({ id: 2, purpose: 'TxProfile', periods: [[0, 10]] }));

    // Act
    const after = restarted();
    after.resume([RUNNING]);

    // Assert
    expect(ceiling(after)).toBe(10);
  });

  it('should drop a TxProfile whose transaction ended while the agent was down, and forget what the CSMS cleared', async () => {
    const limits = new CsmsLimits(SETTINGS, new SqliteUpstreamCsmsProfileStore(db));
    limits.transactionStarted('CP-1', 1, RUNNING);
    await limits.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 16]] }));
    await limits.record('CP-1', 'SetChargingProfile', setProfile({ id: 2, purpose: 'TxProfile', periods: [[0, 10]] }));
    await limits.record(
      'CP-1',
      'SetChargingProfile',
      setProfile({ id: 3, stackLevel: 9, connectorId: 0, periods: [[0, 6]] }),
    );
    await limits.record('CP-1', 'ClearChargingProfile', { id: 3 });

    const after = restarted();
    after.resume([]);

    expect(ceiling(after)).toBe(16);
    expect(new SqliteUpstreamCsmsProfileStore(db).load().get('CP-1')).toHaveLength(1);
  });

  it('should skip a stored row that is not a list of requests, and a request that is not a valid profile', () => {
    db.prepare('INSERT INTO upstream_csms_profiles (charger_id, requests) VALUES (?, ?)').run('CP-2', '{"no":1}');
    db.prepare('INSERT INTO upstream_csms_profiles (charger_id, requests) VALUES (?, ?)').run(
      'CP-1',
      JSON.stringify([{ connectorId: 1 }, setProfile({ periods: [[0, 12]] })]),
    );

    const after = restarted();
    after.resume([]);

    expect(ceiling(after)).toBe(12);
    expect([...new SqliteUpstreamCsmsProfileStore(db).load().keys()]).toEqual(['CP-1']);
  });

  it('should add its table to a database of the previous version', () => {
    db.close();
    rmSync(path.join(dir, DATABASE_FILE));
    databaseBefore(path.join(dir, DATABASE_FILE), 'CREATE TABLE upstream_csms_profiles').close();

    db = openStoreDatabase(dir);
    new SqliteUpstreamCsmsProfileStore(db).save('CP-1', [setProfile()]);

    expect(new SqliteUpstreamCsmsProfileStore(db).load().get('CP-1')).toEqual([setProfile()]);
  });
});
