/**
 * The drain's answer to the charger against the log's commits (docs/csms.md, "The forward log"): a MeterValues or
 * StopTransaction is answered as soon as the CSMS answers it (it is on disk since before it was sent), while the next
 * message waits until its removal is on disk; a StartTransaction's answer waits for the commit that holds its real id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
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
      clock: new ManualClock(Date.parse('2026-12-01T08:00:00Z')),
      random: () => 0.5,
      logger: pino({ level: 'silent' }),
      callTimeoutMs: 1_000,
      retry: { initialDelayMs: 1_000, maxDelayMs: 60_000 },
      onIdTagInfo: () => undefined,
      onDeliveredAfterLeaving: () => undefined,
    });
    return { log, drain, sent, flushes };
  }

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
