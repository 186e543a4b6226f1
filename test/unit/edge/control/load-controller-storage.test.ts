import { afterEach, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { onTime, plugIn, startHarness, testPolicy, testSite, type Harness } from './control-harness';

/** From now on every write to the real database fails (SQLITE_READONLY), as on a read-only or full disk. */
function refuseWrites(db: StoreDatabase): void {
  db.pragma('query_only = ON');
  expect(() => db.exec("INSERT INTO meta (key, value) VALUES ('probe', 'x')")).toThrow(/readonly/);
}

function acceptWrites(db: StoreDatabase): void {
  db.pragma('query_only = OFF');
}

interface StoredTransaction {
  id: number;
  stopped_at: number | null;
  energy_wh: number;
}

function storedTransactions(db: StoreDatabase): StoredTransaction[] {
  return db.prepare<[], StoredTransaction>('SELECT id, stopped_at, energy_wh FROM transactions ORDER BY id').all();
}

function stopTransaction(h: Harness, chargerId: string, transactionId: number, meterStopWh: number): void {
  h.controller.onChargerInput({
    type: 'transactionStopped',
    chargerId,
    at: h.clock.now(),
    transactionId,
    meterStopWh,
    reason: 'Local',
    stoppedAt: onTime(h.clock.now()),
  });
}

describe('LoadController when the disk takes no writes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('should go on cutting and sharing when every write fails, count the failures and log the episode once', async () => {
    // Arrange: one car charging at the whole 32 A budget, then the database takes no more writes
    const errors: { data: object; message: string }[] = [];
    h = startHarness(testSite(2), testPolicy(), {
      log: { info() {}, warn() {}, error: (data, message) => errors.push({ data, message }) },
    });
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);
    refuseWrites(h.db);
    const before = h.sender.sent.length;

    // Act: a second car arrives (its session cannot be stored), and the periodic energy save runs
    plugIn(h, 'CP-2', 2);
    await h.settle(40_000);

    // Assert: the first car was cut to its share and the second got its share, from memory
    const leases = h.sender.sent.slice(before).map((s) => [s.chargerId, s.lease.amps]);
    expect(leases).toContainEqual(['CP-1', 16]);
    expect(leases).toContainEqual(['CP-2', 16]);
    expect(h.controller.storage.failures).toBeGreaterThan(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(
      'storage unavailable: history paused; control carries on from memory and retries the writes',
    );
  });

  it('should store a session started and one stopped while the disk took no writes, in order, once it takes them again', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);
    refuseWrites(h.db);

    // Act: CP-2 starts and CP-1 stops while nothing can be written, then the disk takes writes again
    plugIn(h, 'CP-2', 2);
    await h.settle(1_000);
    stopTransaction(h, 'CP-1', 1, 5_000);
    await h.settle(10_000);
    const whileFull = storedTransactions(h.db);
    acceptWrites(h.db);
    await h.settle(10_000);

    // Assert: nothing was lost, and the stop landed after its start
    expect(whileFull).toEqual([{ id: 1, stopped_at: null, energy_wh: 0 }]);
    expect(storedTransactions(h.db)).toEqual([
      { id: 1, stopped_at: expect.any(Number) as number, energy_wh: 5_000 },
      { id: 2, stopped_at: null, energy_wh: 0 },
    ]);
    expect(h.controller.storage.waiting).toBe(0);
    await h.stop();
    const db = openStoreDatabase(h.dir);
    expect(new SqliteSessionStore(db).openSessions().map((s) => s.transactionId)).toEqual([2]);
    db.close();
  });

  it('should keep the first stop of a transaction a charger sends again while the disk takes no writes', async () => {
    // Arrange: CP-1 stops while nothing can be written, loses our answer and sends its stop again, later and otherwise
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);
    refuseWrites(h.db);
    stopTransaction(h, 'CP-1', 1, 5_000);
    const firstStopAt = h.clock.now();
    await h.settle(60_000);

    // Act
    stopTransaction(h, 'CP-1', 1, 7_000);
    acceptWrites(h.db);
    await h.settle(10_000);

    // Assert: the first stop wins, as when the disk took writes (sqlite-store.test.ts)
    expect(storedTransactions(h.db)).toEqual([{ id: 1, stopped_at: firstStopAt, energy_wh: 5_000 }]);
  });

  it('should keep one waiting write per entity however long the disk stays full', async () => {
    // Arrange: two cars, then no writes
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    plugIn(h, 'CP-2', 2);
    await h.settle(1_000);
    refuseWrites(h.db);

    // Act: energy saves (every 30 s), allocations and lease renewals for ten minutes, then for an hour
    await h.settle(10 * 60_000);
    const afterTenMinutes = h.controller.storage.waiting;
    await h.settle(50 * 60_000);

    // Assert
    expect(afterTenMinutes).toBeGreaterThan(0);
    expect(h.controller.storage.waiting).toBe(afterTenMinutes);
    expect(h.controller.storage.lost).toBe(0);
  });

  it('should raise "storage full" once per episode and "storage recovered" once the waiting writes landed', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);

    // Act: two episodes of failing writes
    refuseWrites(h.db);
    plugIn(h, 'CP-2', 2);
    await h.settle(60_000);
    acceptWrites(h.db);
    await h.settle(10_000);
    refuseWrites(h.db);
    await h.settle(60_000);
    const paused = h.log.of('storagePaused');
    const recovered = h.log.of('storageRecovered');

    // Assert
    expect(paused).toHaveLength(2);
    expect(paused[0]!.reason).toMatch(/readonly/);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.writes).toBeGreaterThan(0);
    expect(recovered[0]!.at).toBeGreaterThan(paused[0]!.at);
  });

  it('should say how many writes are lost when it stops while the disk still takes none', async () => {
    // Arrange
    const errors: string[] = [];
    h = startHarness(testSite(2), testPolicy(), {
      log: { info() {}, warn() {}, error: (_, message) => errors.push(message) },
    });
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);
    refuseWrites(h.db);
    plugIn(h, 'CP-2', 2);
    await h.settle(1_000);

    // Act
    await h.controller.stop();

    // Assert
    expect(h.controller.storage.waiting).toBeGreaterThan(0);
    expect(errors.at(-1)).toBe('stopping with writes the disk never took: they are lost');
    acceptWrites(h.db);
  });
});
