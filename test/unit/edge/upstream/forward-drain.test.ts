/**
 * The drain's answer to the charger against the log's commits (docs/csms.md, "The forward log"): a MeterValues or
 * StopTransaction is answered as soon as the CSMS answers it (it is on disk since before it was sent), while the next
 * message waits until its removal is on disk; a StartTransaction's answer waits for the commit that holds its real id.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamDeliveredMessages } from '../../../../edge/store/upstream-delivered-store';
import { SqliteUpstreamForwardLog } from '../../../../edge/store/upstream-forward-log';
import { UpstreamGroupCommit } from '../../../../edge/store/upstream-group-commit';
import { SqliteUpstreamResyncStore } from '../../../../edge/store/upstream-resync-store';
import { ForwardDrain, type CsmsCaller } from '../../../../edge/upstream/forward-drain';
import { ManualClock } from '../../../../sim/charger/sim-clock';

const meterValues = (n: number) => ({ connectorId: 1, meterValue: [{ timestamp: '2026-12-01T08:00:00Z', n }] });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ForwardDrain: answers and commits', () => {
  let dir: string;
  let db: StoreDatabase;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-drain-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A drain over the real log whose commits' disk flushes wait for the test; the CSMS answers `answer` at once. */
  function drainWith(answer: (action: string) => unknown) {
    const log = new SqliteUpstreamForwardLog(db, 1_000);
    const flushes: ((error: unknown) => void)[] = [];
    const commits = new UpstreamGroupCommit(db, (_fd, done) => void flushes.push(done));
    const sent: string[] = [];
    const csms: CsmsCaller = {
      isOpen: true,
      call: (action, params) => {
        sent.push(`${action} ${JSON.stringify((params as { meterValue?: unknown }).meterValue ?? '')}`);
        return Promise.resolve(answer(action));
      },
    };
    const drain = new ForwardDrain({
      chargerId: 'CP-1',
      csms,
      log,
      commits,
      resync: new SqliteUpstreamResyncStore(db),
      delivered: new SqliteUpstreamDeliveredMessages(db),
      clock: new ManualClock(Date.parse('2026-12-01T08:00:00Z')),
      random: () => 0.5,
      logger: pino({ level: 'silent' }),
      callTimeoutMs: 1_000,
      retry: { initialDelayMs: 1_000, maxDelayMs: 60_000 },
      onIdTagInfo: () => undefined,
      onDeliveredAfterLeaving: () => undefined,
      onUnwritten: () => undefined,
    });
    return { log, drain, sent, flushes };
  }

  /** The database files as a crash of the process would leave them now (the WAL holds what was committed). */
  function crashCopy(): StoreDatabase {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'ampshare-drain-crash-'));
    copies.push(copy);
    for (const suffix of ['', '-wal']) {
      const file = path.join(dir, DATABASE_FILE + suffix);
      if (existsSync(file)) copyFileSync(file, path.join(copy, DATABASE_FILE + suffix));
    }
    const opened = openStoreDatabase(copy);
    reopened.push(opened);
    return opened;
  }
  const copies: string[] = [];
  const reopened: StoreDatabase[] = [];
  afterEach(() => {
    for (const opened of reopened.splice(0)) opened.close();
    for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
  });

  it('should leave a message the CSMS answered either queued and unremembered or delivered and remembered, whenever the agent crashes', async () => {
    // Arrange: a reading on disk
    const { log, drain, flushes } = drainWith(() => ({}));
    const reading = meterValues(1);
    const first = log.append('CP-1', 'MeterValues', reading, 1);
    let answered: unknown;
    void drain.answerTo(first, 5_000).then((answer) => (answered = answer));

    // Act: a crash once the CSMS answered the reading (the charger has its answer) but before its removal is
    // committed; and one once the removal is on disk
    drain.kick();
    for (let i = 0; i < 10 && answered === undefined; i++) await Promise.resolve();
    const beforeCommit = crashCopy();
    for (let i = 0; i < 3; i++) await turn();
    flushes[0]?.(undefined);
    for (let i = 0; i < 3; i++) await turn();
    const afterCommit = crashCopy();

    // Assert: before the commit, the reading is still queued first and not remembered: the restarted agent sends it
    // again once (the one repeat a crash can cause: the CSMS's answer was not on disk yet); after it, it is gone from
    // the log and remembered with the CSMS's answer, so a charger sending it again is answered and it is not sent again
    expect(answered).toEqual({});
    expect(new SqliteUpstreamForwardLog(beforeCommit, 1_000).next('CP-1')?.payload).toEqual(reading);
    expect(new SqliteUpstreamDeliveredMessages(beforeCommit).answer('CP-1', 'MeterValues', reading)).toBeUndefined();
    expect(new SqliteUpstreamForwardLog(afterCommit, 1_000).next('CP-1')).toBeUndefined();
    expect(new SqliteUpstreamDeliveredMessages(afterCommit).answer('CP-1', 'MeterValues', reading)).toEqual({});
  });

  it("should answer a charger's MeterValues once the CSMS did, and send the next only once the first left the log", async () => {
    // Arrange: two meter values on disk
    const { log, drain, sent, flushes } = drainWith(() => ({}));
    const first = log.append('CP-1', 'MeterValues', meterValues(1), 1);
    log.append('CP-1', 'MeterValues', meterValues(2), 2);
    let answered: unknown;
    void drain.answerTo(first, 5_000).then((answer) => (answered = answer));

    // Act: the CSMS answers the first; its removal is committed, its flush held back
    drain.kick();
    for (let i = 0; i < 3; i++) await turn();

    // Assert: the charger has its answer (before, it waited for the flush); the second is not sent yet
    expect(answered).toEqual({});
    expect(sent).toEqual(['MeterValues [{"timestamp":"2026-12-01T08:00:00Z","n":1}]']);
    flushes[0]?.(undefined);
    for (let i = 0; i < 3; i++) await turn();
    expect(sent).toHaveLength(2);
  });

  it('should answer a StartTransaction only once the real id the CSMS gave is on disk', async () => {
    // Arrange
    const { log, drain, flushes } = drainWith(() => ({ transactionId: 7, idTagInfo: { status: 'Accepted' } }));
    const start = log.appendStart(
      'CP-1',
      { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: '2026-12-01T08:00:00Z' },
      0,
    );
    let answered: unknown;
    void drain.answerTo(start.seq, 5_000).then((answer) => (answered = answer));

    // Act
    drain.kick();
    for (let i = 0; i < 3; i++) await turn();

    // Assert
    expect(answered).toBeUndefined();
    flushes[0]?.(undefined);
    for (let i = 0; i < 3; i++) await turn();
    expect(answered).toEqual({ transactionId: 7, idTagInfo: { status: 'Accepted' } });
    expect(log.realIdOf('CP-1', start.provisionalId)).toBe(7);
  });
});
