import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamForwardLog } from '../../../../edge/store/upstream-forward-log';
import { UpstreamGroupCommit } from '../../../../edge/store/upstream-group-commit';

const meterValues = (chargerId: string, n: number) => ({ connectorId: 1, meterValue: [{ chargerId, n }] });

describe('UpstreamGroupCommit with the forward log', () => {
  let dir: string;
  let db: StoreDatabase;
  let reader: Database.Database;
  /** What a second connection to the same file sees: only what is committed. */
  const committedSeqs = () =>
    reader
      .prepare<[], { seq: number }>('SELECT seq FROM upstream_log ORDER BY seq')
      .all()
      .map((r) => r.seq);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-group-commit-'));
    db = openStoreDatabase(dir);
    reader = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should settle each write only once a second connection to the file sees it', async () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, 1_000);
    const commits = new UpstreamGroupCommit(db);
    const seenWhenSettled: boolean[] = [];

    // Act: 40 messages of 4 chargers within one turn
    const writes = Array.from({ length: 40 }, (_, i) =>
      commits
        .run(() => log.append(`CP-${i % 4}`, 'MeterValues', meterValues(`CP-${i % 4}`, i), i))
        .then((seq) => seenWhenSettled.push(committedSeqs().includes(seq))),
    );
    const seenBeforeAny = committedSeqs().length;
    await Promise.all(writes);

    // Assert
    expect(seenBeforeAny).toBe(0);
    expect(seenWhenSettled).toEqual(Array.from({ length: 40 }, () => true));
  });

  it('should lose nothing it settled when the database closes between enqueue and commit', async () => {
    // Arrange: a first group committed
    const log = new SqliteUpstreamForwardLog(db, 1_000);
    const commits = new UpstreamGroupCommit(db);
    const settled = await Promise.all(
      [1, 2, 3].map((n) => commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', n), n))),
    );

    // Act: a second group asked for, then the process "dies" before its commit
    const lost = [4, 5].map((n) =>
      commits
        .run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', n), n))
        .then(
          () => 'answered',
          () => 'refused',
        ),
    );
    db.close();
    const outcomes = await Promise.all(lost);
    db = openStoreDatabase(dir);
    const reopened = new SqliteUpstreamForwardLog(db, 1_000);

    // Assert: what was settled is on disk, what was not is refused (the charger keeps it and sends it again)
    expect(outcomes).toEqual(['refused', 'refused']);
    expect(reopened.backlog('CP-1').messages).toBe(3);
    expect(committedSeqs()).toEqual(settled);
  });

  it("should keep each charger's order when their messages share one commit", async () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, 1_000);
    const commits = new UpstreamGroupCommit(db);
    await Promise.all(
      Array.from({ length: 10 }, (_, n) => [
        commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', n), n)),
        commits.run(() => log.append('CP-2', 'MeterValues', meterValues('CP-2', n), n)),
      ]).flat(),
    );

    // Act: deliver CP-1's log message by message
    const order: unknown[] = [];
    for (let next = log.next('CP-1'); next !== undefined; next = log.next('CP-1')) {
      order.push(next.payload.meterValue);
      await commits.run(() => log.delivered(next.seq, { chargerId: 'CP-1' }));
    }

    // Assert
    expect(order).toEqual(Array.from({ length: 10 }, (_, n) => [{ chargerId: 'CP-1', n }]));
    expect(log.backlog('CP-2').messages).toBe(10);
  });

  it('should roll back a write that throws alone, and commit the others of its group', async () => {
    // Arrange
    const log = new SqliteUpstreamForwardLog(db, 1_000);
    const commits = new UpstreamGroupCommit(db);

    // Act
    const outcomes = await Promise.allSettled([
      commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', 1), 1)),
      commits.run(() => {
        log.append('CP-1', 'MeterValues', meterValues('CP-1', 2), 2);
        throw new Error('refused half-way');
      }),
      commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', 3), 3)),
    ]);

    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log.backlog('CP-1').messages).toBe(2);
    expect(committedSeqs()).toHaveLength(2);
  });

  describe('with the disk flush off the event loop', () => {
    /** A flush of the WAL file that returns only when the test says so. */
    function heldFlushes() {
      const asked: { fd: number; done: (error: unknown) => void }[] = [];
      return { asked, flush: (fd: number, done: (error: unknown) => void) => void asked.push({ fd, done }) };
    }
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    it('should commit a group at once and settle its writes only once the WAL file is flushed', async () => {
      // Arrange
      const log = new SqliteUpstreamForwardLog(db, 1_000);
      const flushes = heldFlushes();
      const commits = new UpstreamGroupCommit(db, flushes.flush);
      const settled: number[] = [];

      // Act: a group of three, committed, its flush held back
      const writes = [1, 2, 3].map((n) =>
        commits
          .run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', n), n))
          .then((seq) => settled.push(seq)),
      );
      await turn();
      await turn();

      // Assert: committed (a second connection sees it) but nobody told yet; told once the flush returns
      expect(committedSeqs()).toHaveLength(3);
      expect(settled).toEqual([]);
      expect(flushes.asked).toHaveLength(1);
      flushes.asked[0]?.done(undefined);
      await Promise.all(writes);
      expect(settled).toEqual(committedSeqs());
    });

    it('should run one flush at a time, the groups committed meanwhile sharing the next one', async () => {
      // Arrange: a first group whose flush is held back
      const log = new SqliteUpstreamForwardLog(db, 1_000);
      const flushes = heldFlushes();
      const commits = new UpstreamGroupCommit(db, flushes.flush);
      const append = (n: number) => commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', n), n));
      const first = append(1);
      await turn();

      // Act: two more groups while it runs
      const second = append(2);
      await turn();
      const third = append(3);
      await turn();

      // Assert: no second flush before the first returns, then one for both later groups
      expect(flushes.asked).toHaveLength(1);
      flushes.asked[0]?.done(undefined);
      await first;
      expect(flushes.asked).toHaveLength(2);
      let laterSettled = false;
      void Promise.all([second, third]).then(() => (laterSettled = true));
      await turn();
      expect(laterSettled).toBe(false);
      flushes.asked[1]?.done(undefined);
      await Promise.all([second, third]);
    });

    it('should refuse the writes a failed flush held (the charger keeps its message)', async () => {
      const log = new SqliteUpstreamForwardLog(db, 1_000);
      const commits = new UpstreamGroupCommit(db, (_fd, done) => done(new Error('EIO')));

      const outcome = commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', 1), 1));

      await expect(outcome).rejects.toThrow('EIO');
    });

    it('should flush and settle everything at shutdown, a flush still in flight included', async () => {
      // Arrange: one group whose flush is held back, another not committed yet
      const log = new SqliteUpstreamForwardLog(db, 1_000);
      const flushes = heldFlushes();
      const commits = new UpstreamGroupCommit(db, flushes.flush);
      const first = commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', 1), 1));
      await turn();
      const second = commits.run(() => log.append('CP-1', 'MeterValues', meterValues('CP-1', 2), 2));

      // Act
      commits.flush();

      // Assert
      await expect(Promise.all([first, second])).resolves.toHaveLength(2);
      expect(committedSeqs()).toHaveLength(2);
    });
  });
});
