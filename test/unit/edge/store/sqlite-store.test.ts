import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allocate } from '../../../../shared/allocation/allocator';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { ChargerSchema, SiteSchema } from '../../../../shared/site/site-schema';
import { hashPassword } from '../../../../edge/security/password-hash';
import { SqliteAdminPasswordStore } from '../../../../edge/store/admin-password-store';
import { SqliteChargerRegistry } from '../../../../edge/store/charger-registry';
import { SqliteControlStateStore } from '../../../../edge/store/control-state-store';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import Database from 'better-sqlite3';
import {
  DATABASE_FILE,
  MIGRATIONS,
  openStoreDatabase,
  type StoreDatabase,
} from '../../../../edge/store/store-database';

/** A time the charger reported that passed the clock check. */
const RECEIVED = { receivedAt: 0, source: 'charger' } as const;

/** An allocation of one charging connector, as a round saves it. */
function oneChargerAllocation() {
  const site = SiteSchema.parse({
    $schemaVersion: 1,
    id: 's',
    circuits: [{ id: 'm', parent: null, fuseAmps: 32 }],
    chargers: [{ id: 'CP-1', circuit: 'm', phases: 3, maxAmps: 32 }],
  });
  const configured = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 32 } });
  return allocate(
    {
      site,
      connectors: [
        { ref: 'CP-1/1', status: 'Charging', link: 'online', session: { id: '1', startedAt: 0, energyWh: 0 } },
      ],
      meters: [],
    },
    configured,
    1000,
  );
}

describe('SQLite store', () => {
  let dir: string;
  let db: StoreDatabase;
  const reopen = () => {
    db.close();
    db = openStoreDatabase(dir);
    return db;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-store-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep open sessions with their energy and close stopped ones', () => {
    const sessions = new SqliteSessionStore(db);
    sessions.startSession(
      {
        transactionId: 1,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: 'TAG',
        startedAt: 100,
        meterStartWh: 1000,
        energyWh: 0,
      },
      RECEIVED,
    );
    sessions.startSession(
      {
        transactionId: 2,
        chargerId: 'CP-2',
        connectorId: 1,
        idTag: undefined,
        startedAt: 200,
        meterStartWh: 0,
        energyWh: 0,
      },
      RECEIVED,
    );
    sessions.saveEnergy([{ transactionId: 1, energyWh: 750, energyAt: undefined }]);
    sessions.stopSession({ transactionId: 2, stoppedAt: 300, meterStopWh: 400, reason: 'Local' }, RECEIVED);

    const open = new SqliteSessionStore(reopen()).openSessions();

    expect(open).toEqual([
      {
        transactionId: 1,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: 'TAG',
        startedAt: 100,
        meterStartWh: 1000,
        energyWh: 750,
      },
    ]);
    expect(db.prepare('SELECT energy_wh AS e FROM transactions WHERE id = 2').get()).toEqual({ e: 400 });
  });

  it('should keep the first stop of a transaction when the charger sends it again', () => {
    // Arrange: a charger that lost our answer retries its StopTransaction later, with another reason
    const sessions = new SqliteSessionStore(db);
    sessions.startSession(
      {
        transactionId: 7,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: 'TAG',
        startedAt: 100,
        meterStartWh: 1000,
        energyWh: 0,
      },
      RECEIVED,
    );
    sessions.stopSession({ transactionId: 7, stoppedAt: 300, meterStopWh: 5000, reason: 'EVDisconnected' }, RECEIVED);

    // Act
    sessions.stopSession({ transactionId: 7, stoppedAt: 900, meterStopWh: 5000, reason: 'Other' }, RECEIVED);

    // Assert
    expect(
      db.prepare('SELECT stopped_at AS at, stop_reason AS reason, energy_wh AS e FROM transactions WHERE id = 7').get(),
    ).toEqual({ at: 300, reason: 'EVDisconnected', e: 4000 });
  });

  it("should store the charger's start, energy and stop times beside the times of receipt and where each came from", () => {
    // Arrange
    const sessions = new SqliteSessionStore(db);

    // Act: a transaction the charger queued while offline, one of its times replaced (its clock was far ahead)
    sessions.startSession(
      {
        transactionId: 3,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: 'TAG',
        startedAt: 1_000,
        meterStartWh: 0,
        energyWh: 0,
      },
      { receivedAt: 9_000, source: 'charger' },
    );
    sessions.saveEnergy([{ transactionId: 3, energyWh: 500, energyAt: 2_000 }]);
    sessions.stopSession(
      { transactionId: 3, stoppedAt: 9_100, meterStopWh: 800, reason: 'Local' },
      { receivedAt: 9_100, source: 'receivedClockAhead' },
    );

    // Assert
    expect(
      db
        .prepare(
          'SELECT started_at, start_received_at, start_time_source, energy_at, stopped_at, stop_received_at, stop_time_source FROM transactions WHERE id = 3',
        )
        .get(),
    ).toEqual({
      started_at: 1_000,
      start_received_at: 9_000,
      start_time_source: 'charger',
      energy_at: 2_000,
      stopped_at: 9_100,
      stop_received_at: 9_100,
      stop_time_source: 'receivedClockAhead',
    });
  });

  it('should keep the transactions stored before charger times were kept, marked as times of receipt of unknown source', () => {
    // Arrange: a database at the schema before this migration, with a finished and an open transaction
    db.close();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const old = new Database(path.join(dir, DATABASE_FILE));
    MIGRATIONS.slice(0, 3).forEach((sql) => old.exec(sql));
    old.pragma('user_version = 3');
    old
      .prepare(
        'INSERT INTO transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh, stopped_at, meter_stop_wh, stop_reason) VALUES (1, ?, 1, ?, 100, 0, 50, 200, 50, ?)',
      )
      .run('CP-1', 'TAG', 'Local');
    old
      .prepare(
        'INSERT INTO transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh) VALUES (2, ?, 1, NULL, 300, 10, 5)',
      )
      .run('CP-2');
    old.close();

    // Act
    db = openStoreDatabase(dir);

    // Assert
    expect(
      db
        .prepare(
          'SELECT id, started_at, start_received_at, start_time_source, stopped_at, stop_received_at, stop_time_source, energy_wh, energy_at FROM transactions ORDER BY id',
        )
        .all(),
    ).toEqual([
      {
        id: 1,
        started_at: 100,
        start_received_at: 100,
        start_time_source: null,
        stopped_at: 200,
        stop_received_at: 200,
        stop_time_source: null,
        energy_wh: 50,
        energy_at: null,
      },
      {
        id: 2,
        started_at: 300,
        start_received_at: 300,
        start_time_source: null,
        stopped_at: null,
        stop_received_at: null,
        stop_time_source: null,
        energy_wh: 5,
        energy_at: null,
      },
    ]);
    expect(new SqliteSessionStore(db).openSessions().map((s) => s.transactionId)).toEqual([2]);
  });

  it('should keep applied limits and the last allocation across restarts (the policy in force: policy-in-force tests)', () => {
    const state = new SqliteControlStateStore(db);
    const allocation = oneChargerAllocation();
    state.saveAppliedLimit({
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 1,
      amps: 16,
      phases: 3,
      acceptedAt: 1,
      expiresAt: 2,
    });
    state.saveAppliedLimit({
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 1,
      amps: 20,
      phases: 3,
      acceptedAt: 3,
      expiresAt: 4,
    });
    state.saveAllocation(allocation);

    const after = new SqliteControlStateStore(reopen());

    expect(after.appliedLimits()).toEqual([
      { chargerId: 'CP-1', connectorId: 1, transactionId: 1, amps: 20, phases: 3, acceptedAt: 3, expiresAt: 4 },
    ]);
    expect(after.lastAllocation()).toEqual(JSON.parse(JSON.stringify(allocation)));
    after.deleteAppliedLimit('CP-1', 1);
    expect(after.appliedLimits()).toEqual([]);
  });

  it('should store leases and allocations through a second connection without an fsync of its own, preparing nothing per save, and leave every other write fully synced', () => {
    // Arrange: the store's own connection runs FULL; the second, opened once with the control state's store, NORMAL
    const levels = vi.spyOn(Database.prototype, 'pragma');
    const state = new SqliteControlStateStore(db);
    const opened = levels.mock.contexts.filter((connection) => connection !== db);
    expect(new Set(opened).size).toBe(1);
    expect(levels.mock.calls.filter((_, i) => opened.includes(levels.mock.contexts[i]))).toContainEqual([
      'synchronous = NORMAL',
    ]);
    levels.mockRestore();
    const lease = {
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 1,
      amps: 16,
      phases: 3 as const,
      acceptedAt: 1,
      expiresAt: 2,
    };
    const pragma = vi.spyOn(db, 'pragma');
    const prepare = vi.spyOn(db, 'prepare');

    // Act: before, each save switched the store's connection to NORMAL and back, three PRAGMAs prepared anew
    state.saveAppliedLimit(lease);
    state.saveAppliedLimit({ ...lease, connectorId: 2 });
    state.deleteAppliedLimit('CP-1', 1);
    state.saveAllocation(oneChargerAllocation());

    // Assert
    expect(pragma).not.toHaveBeenCalled();
    expect(prepare).not.toHaveBeenCalled();
    pragma.mockRestore();
    prepare.mockRestore();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const after = new SqliteControlStateStore(reopen());
    expect(after.appliedLimits()).toEqual([{ ...lease, connectorId: 2 }]);
    expect(after.lastAllocation()).toBeDefined();
  });

  it("should write a lease saved inside a transaction of the store's connection in that transaction, rolled back with it", () => {
    const state = new SqliteControlStateStore(db);
    const lease = {
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 1,
      amps: 16,
      phases: 3 as const,
      acceptedAt: 1,
      expiresAt: 2,
    };

    const rolledBack = () =>
      db.transaction(() => {
        state.saveAppliedLimit(lease);
        throw new Error('rolled back');
      })();

    expect(rolledBack).toThrow('rolled back');
    db.transaction(() => state.saveAppliedLimit({ ...lease, connectorId: 2 }))();
    expect(state.appliedLimits()).toEqual([{ ...lease, connectorId: 2 }]);
  });

  it('should close the second connection with the store: the last connection gone, SQLite removes the WAL file', () => {
    const state = new SqliteControlStateStore(db);
    state.saveAppliedLimit({
      chargerId: 'CP-1',
      connectorId: 1,
      transactionId: 1,
      amps: 16,
      phases: 3,
      acceptedAt: 1,
      expiresAt: 2,
    });
    expect(existsSync(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(true);

    db.close();

    expect(existsSync(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(false);
    db = openStoreDatabase(dir);
  });

  it('should record a charger boot without an fsync of its own and keep it across a reopen', () => {
    const registry = new SqliteChargerRegistry(db, []);
    const pragma = vi.spyOn(db, 'pragma');
    const prepare = vi.spyOn(db, 'prepare');

    registry.recordBoot('CP-1', { vendor: 'Vendor', model: 'Model', firmwareVersion: undefined, at: 5 });

    expect(pragma).not.toHaveBeenCalled();
    expect(prepare).not.toHaveBeenCalled();
    pragma.mockRestore();
    prepare.mockRestore();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(new SqliteChargerRegistry(reopen(), []).record('CP-1')).toMatchObject({ vendor: 'Vendor', lastBootAt: 5 });
  });

  it('should report a stored allocation it cannot read instead of trusting it', () => {
    db.prepare('INSERT INTO meta (key, value) VALUES (\'lastAllocation\', \'{"at":"yesterday"}\')').run();
    const state = new SqliteControlStateStore(db);
    expect(state.lastAllocation()).toBeUndefined();
    expect(state.problems.map((p) => p.key)).toEqual(['lastAllocation']);
  });

  it('should verify charger passwords against stored hashes and find site chargers', async () => {
    const charger = ChargerSchema.parse({ id: 'CP-1', circuit: 'm', phases: 3, maxAmps: 32 });
    const registry = new SqliteChargerRegistry(db, [charger]);
    registry.setPasswordHashes(new Map([['CP-1', await hashPassword('right password!!')]]));
    registry.recordBoot('CP-1', { vendor: 'Vendor', model: 'Model', firmwareVersion: '1.2.3', at: 5 });
    const again = new SqliteChargerRegistry(reopen(), [charger]);

    expect(await again.verify('CP-1', Buffer.from('right password!!'))).toBe('valid');
    expect(await again.verify('CP-1', Buffer.from('wrong password!!'))).toBe('invalid');
    expect(await again.verify('CP-9', Buffer.from('right password!!'))).toBe('unknown');
    expect(again.find('CP-1')).toEqual(charger);
    expect(again.find('CP-9')).toBeUndefined();
    expect(again.record('CP-1')).toEqual({
      vendor: 'Vendor',
      model: 'Model',
      firmware: '1.2.3',
      lastBootAt: 5,
      enabled: true,
      hasPassword: true,
      passwordSetAt: undefined,
    });
  });

  it('should keep a dashboard password with the configured hash it replaced, until the configuration sets one again', () => {
    const registry = new SqliteChargerRegistry(db, []);
    registry.setPasswordHashes(new Map([['CP-1', 'configured-hash']]));
    registry.setDashboardPassword('CP-1', 'first-dashboard-hash', 10);
    registry.setDashboardPassword('CP-1', 'second-dashboard-hash', 20);

    expect(registry.dashboardPassword('CP-1')).toEqual({ hash: 'second-dashboard-hash', basis: 'configured-hash' });
    expect(registry.record('CP-1').passwordSetAt).toBe(20);
    registry.setPasswordHashes(new Map([['CP-1', 'new-configured-hash']]));
    expect(registry.dashboardPassword('CP-1')).toBeUndefined();
    expect(registry.passwordHash('CP-1')).toBe('new-configured-hash');
  });

  it('should remember a charger disabled on the dashboard across a restart', () => {
    new SqliteChargerRegistry(db, []).setEnabled('CP-2', false);
    expect(new SqliteChargerRegistry(reopen(), []).record('CP-2').enabled).toBe(false);
    expect(new SqliteChargerRegistry(reopen(), []).record('CP-3').enabled).toBe(true);
  });

  it('should store the dashboard admin password hash', () => {
    const admin = new SqliteAdminPasswordStore(db);
    expect(admin.passwordHash()).toBeUndefined();
    admin.setPasswordHash('h1', 1);
    admin.setPasswordHash('h2', 2);
    expect(new SqliteAdminPasswordStore(reopen()).passwordHash()).toBe('h2');
  });
});
