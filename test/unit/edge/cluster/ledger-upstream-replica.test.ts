/**
 * The forward log to the CSMS through the ledger (edge/cluster/ledger-upstream-replica.ts, upstream-takeover.ts): the
 * real forward log, group commit and delivered records on SQLite, a ledger of our own port that records each write
 * (one conditional etcd transaction each on a real master) and answers a new master's reads from what it holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LEDGER_OPS_PER_WRITE, type LedgerRecord } from '../../../../edge/cluster/leader-ledger';
import {
  EntrySchema,
  LEDGER_DELIVERED_PER_CHARGER,
  MAX_LEDGER_METER_VALUES_PER_CHARGER,
} from '../../../../edge/cluster/ledger-upstream-keys';
import { UpstreamLedgerReplica } from '../../../../edge/cluster/ledger-upstream-replica';
import type { LeaderTerm } from '../../../../edge/cluster/leadership';
import { takeUpstreamFromLedger } from '../../../../edge/cluster/upstream-takeover';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamDeliveredMessages } from '../../../../edge/store/upstream-delivered-store';
import { SqliteUpstreamForwardLog } from '../../../../edge/store/upstream-forward-log';
import { UpstreamGroupCommit } from '../../../../edge/store/upstream-group-commit';
import { SqliteUpstreamLogAdoption } from '../../../../edge/store/upstream-log-adoption';
import { UpstreamLogChanges } from '../../../../edge/store/upstream-log-changes';

/** The ledger as the replica writes it and a new master reads it. */
class RecordingLedger {
  readonly writes: { puts: readonly LedgerRecord[]; deletes: readonly string[] }[] = [];
  readonly held = new Map<string, string>();
  failNext = false;

  putAll(entries: readonly LedgerRecord[], deletes: readonly string[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('etcd did not answer'));
    }
    this.writes.push({ puts: entries, deletes });
    for (const key of deletes) this.held.delete(key);
    for (const { key, value } of entries) this.held.set(key, value);
    return Promise.resolve();
  }

  first(folder: string, limit: number): Promise<{ entries: LedgerRecord[]; more: boolean }> {
    const keys = [...this.held.keys()].filter((key) => key.startsWith(`${folder}/`)).sort();
    const entries = keys.slice(0, limit).map((key) => ({ key, value: this.held.get(key) as string }));
    return Promise.resolve({ entries, more: keys.length > limit });
  }

  get(key: string): Promise<{ value: string; modRevision: string } | undefined> {
    const value = this.held.get(key);
    return Promise.resolve(value === undefined ? undefined : { value, modRevision: '1' });
  }

  keys(folder: string): string[] {
    return [...this.held.keys()].filter((key) => key.startsWith(`${folder}/`)).sort();
  }
}

/** One node's forward log on its own SQLite, copied to `ledger` in `term`. */
function nodeOn(dir: string, ledger: RecordingLedger) {
  const db: StoreDatabase = openStoreDatabase(dir);
  const changes = new UpstreamLogChanges();
  const replica = new UpstreamLedgerReplica(ledger);
  const log = new SqliteUpstreamForwardLog(db, 10_000, () => undefined, changes);
  const delivered = new SqliteUpstreamDeliveredMessages(db, changes);
  const commits = new UpstreamGroupCommit(db, undefined, { changes, replica });
  return { db, replica, log, delivered, commits };
}

const term = (n: string): LeaderTerm => ({ term: n, key: `election/${n}` });
const start = (meterStart: number) => ({ connectorId: 1, idTag: 'T', meterStart, timestamp: '2026-12-05T01:00:00Z' });
const reading = (transactionId: number, wh: number) => ({
  connectorId: 1,
  transactionId,
  meterValue: [{ timestamp: '2026-12-05T01:00:00Z', sampledValue: [{ value: String(wh) }] }],
});
const stop = (transactionId: number) => ({ transactionId, meterStop: 900, timestamp: '2026-12-05T02:00:00Z' });
const quiet = { error: vi.fn() };

describe('the forward log through the ledger', () => {
  let dirs: string[];
  let ledger: RecordingLedger;
  const dir = () => {
    const made = mkdtempSync(path.join(os.tmpdir(), 'ampshare-upstream-ledger-'));
    dirs.push(made);
    return made;
  };
  const opened: StoreDatabase[] = [];

  beforeEach(() => {
    dirs = [];
    ledger = new RecordingLedger();
  });
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });

  function master(n: string) {
    const node = nodeOn(dir(), ledger);
    opened.push(node.db);
    node.replica.begin(term(n), { entries: [], delivered: new Map(), lowestProvisionalId: undefined });
    return node;
  }

  it('should have each message of a turn in the ledger, in writes of at most 96 keys, before its write settles', async () => {
    // Arrange
    const { log, commits } = master('7');

    // Act: 150 chargers' readings in one event-loop turn (one group commit)
    const settled = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        commits
          .run(() => log.append(`CP-${i}`, 'MeterValues', reading(4711, i), i))
          .then(() => ledger.keys('upstream-log').length),
      ),
    );

    // Assert: every write settled with all 150 keys there; two etcd transactions, none over the bound
    expect(settled.every((held) => held === 150)).toBe(true);
    expect(ledger.writes.map((w) => w.puts.length + w.deletes.length)).toEqual([
      LEDGER_OPS_PER_WRITE,
      150 - LEDGER_OPS_PER_WRITE,
    ]);
    expect(ledger.keys('upstream-log')[0]).toBe('upstream-log/CP-0/00000000000000000007/000000000001');
  });

  it('should hold every start and stop but at most 20 queued readings of a charger', async () => {
    // Arrange
    const { log, commits } = master('7');
    const { provisionalId } = await commits.run(() => log.appendStart('CP-1', start(100), 1));

    // Act
    for (let wh = 1; wh <= 25; wh++)
      await commits.run(() => log.append('CP-1', 'MeterValues', reading(provisionalId, wh), wh));
    await commits.run(() => log.append('CP-1', 'StopTransaction', stop(provisionalId), 30));

    // Assert
    const actions = ledger
      .keys('upstream-log')
      .map((key) => EntrySchema.parse(JSON.parse(ledger.held.get(key) as string)).action);
    expect(actions).toEqual([
      'StartTransaction',
      ...Array<string>(MAX_LEDGER_METER_VALUES_PER_CHARGER).fill('MeterValues'),
      'StopTransaction',
    ]);
    expect(log.backlog('CP-1').messages).toBe(27);
  });

  it('should remove a delivered message with its record in one write, and keep the latest 10 records per charger', async () => {
    // Arrange
    const { log, delivered, commits } = master('7');
    const seqs: number[] = [];
    for (let wh = 1; wh <= 12; wh++)
      seqs.push(await commits.run(() => log.append('CP-1', 'MeterValues', reading(9, wh), wh)));
    const writesBefore = ledger.writes.length;

    // Act: the CSMS acknowledged them, one after the other (as the drain removes them)
    for (const [i, seq] of seqs.entries()) {
      await commits.run(() => {
        log.delivered(seq, { chargerId: 'CP-1' });
        delivered.remember('CP-1', 'MeterValues', reading(9, i + 1), {});
      });
    }

    // Assert: no entry left; the latest 10 records; each removal one write with its record
    expect(ledger.keys('upstream-log')).toEqual([]);
    expect(ledger.keys('upstream-delivered')).toHaveLength(LEDGER_DELIVERED_PER_CHARGER);
    expect(ledger.writes.length - writesBefore).toBe(12);
    expect(ledger.writes.at(-1)?.deletes).toHaveLength(2);
  });

  it('should fail the writes of a group whose ledger write failed, and write its changes with the next group', async () => {
    // Arrange
    const { log, commits } = master('7');
    ledger.failNext = true;

    // Act: the charger gets an error and sends the same reading again (the log adds nothing the second time)
    const first = commits.run(() => log.append('CP-1', 'MeterValues', reading(9, 1), 1));
    await expect(first).rejects.toThrow('etcd did not answer');
    const again = await commits.run(() => log.append('CP-1', 'MeterValues', reading(9, 1), 2));

    // Assert: answered the second time, once the entry is in the ledger
    expect(again).toBe(1);
    expect(ledger.keys('upstream-log')).toHaveLength(1);
  });

  it('should refuse to write for a node that took no ledger in this term', async () => {
    const node = nodeOn(dir(), ledger);
    opened.push(node.db);
    await expect(node.commits.run(() => node.log.append('CP-1', 'MeterValues', reading(9, 1), 1))).rejects.toThrow(
      'does not lead',
    );
  });

  it('should give a new master the log of the old one in the order of each charger, with its mappings, and no provisional id again', async () => {
    // Arrange: gw-a answered two starts offline (the first delivered since, the CSMS gave 4711), a reading, a stop
    const a = master('7');
    const first = await a.commits.run(() => a.log.appendStart('CP-1', start(100), 1));
    await a.commits.run(() => a.log.answered(first.provisionalId, 'provisional'));
    await a.commits.run(() => a.log.delivered(first.seq, { chargerId: 'CP-1', realId: 4711 }));
    await a.commits.run(() => a.log.append('CP-1', 'MeterValues', reading(first.provisionalId, 500), 2));
    const second = await a.commits.run(() => a.log.appendStart('CP-1', start(900), 3));
    await a.commits.run(() => a.log.append('CP-1', 'StopTransaction', stop(first.provisionalId), 4));
    const b = nodeOn(dir(), ledger);
    opened.push(b.db);

    // Act
    const taken = await takeUpstreamFromLedger(
      ledger,
      term('9'),
      new SqliteUpstreamLogAdoption(b.db),
      b.replica,
      quiet,
    );
    const third = await b.commits.run(() => b.log.appendStart('CP-1', start(1500), 5));

    // Assert
    expect(taken).toEqual({ entries: 3, mappings: 2, delivered: 0, refused: 0, copiedOwnLog: false });
    const order: string[] = [];
    for (let next = b.log.next('CP-1'); next !== undefined; next = b.log.next('CP-1')) {
      order.push(next.action);
      b.log.delivered(next.seq, { chargerId: 'CP-1' });
    }
    // gw-a's three in their order, then gw-b's own start
    expect(order).toEqual(['MeterValues', 'StartTransaction', 'StopTransaction', 'StartTransaction']);
    expect(b.log.realIdOf('CP-1', first.provisionalId)).toBe(4711);
    expect(b.log.provisionalIdOf('CP-1', 4711)).toBe(first.provisionalId);
    expect(third.provisionalId).toBeLessThan(second.provisionalId);
    expect(ledger.keys('upstream-log').some((key) => key.includes('/00000000000000000009/'))).toBe(true);
  });

  it("should copy a former single agent's queued log into a ledger that holds none of the site's, bounded as a master's writes", async () => {
    // Arrange: an agent alone (no ledger) answered a start offline, 25 readings and a stop; it becomes a cluster node
    const own = dir();
    const alone = openStoreDatabase(own);
    const single = new SqliteUpstreamForwardLog(alone, 10_000);
    const commits = new UpstreamGroupCommit(alone);
    const started = await commits.run(() => single.appendStart('CP-1', start(100), 1));
    await commits.run(() => single.answered(started.provisionalId, 'provisional'));
    for (let i = 0; i < 25; i += 1)
      await commits.run(() => single.append('CP-1', 'MeterValues', reading(started.provisionalId, 200 + i), 2 + i));
    await commits.run(() => single.append('CP-1', 'StopTransaction', stop(started.provisionalId), 30));
    alone.close();
    const a = nodeOn(own, ledger);
    opened.push(a.db);

    // Act: its first election, then the start delivered; a later master takes the ledger
    const copied = await takeUpstreamFromLedger(
      ledger,
      term('9'),
      new SqliteUpstreamLogAdoption(a.db),
      a.replica,
      quiet,
    );
    const head = a.log.next('CP-1');
    await a.commits.run(() => a.log.delivered(head?.seq ?? 0, { chargerId: 'CP-1', realId: 4711 }));
    const b = nodeOn(dir(), ledger);
    opened.push(b.db);
    const taken = await takeUpstreamFromLedger(
      ledger,
      term('10'),
      new SqliteUpstreamLogAdoption(b.db),
      b.replica,
      quiet,
    );

    // Assert: the start, the first 20 readings and the stop went to the ledger with the mapping and the counter, in
    // the node's term; the later readings stayed on its disk; the next master has the readings and the stop
    expect(copied).toEqual({ entries: 27, mappings: 1, delivered: 0, refused: 0, copiedOwnLog: true });
    expect(head?.action).toBe('StartTransaction');
    expect(a.log.backlog('CP-1').messages).toBe(26);
    expect(await ledger.get('upstream-provisional-counter')).toEqual({
      value: String(started.provisionalId),
      modRevision: '1',
    });
    expect(taken).toMatchObject({ entries: MAX_LEDGER_METER_VALUES_PER_CHARGER + 1, mappings: 1, copiedOwnLog: false });
    expect(b.log.realIdOf('CP-1', started.provisionalId)).toBe(4711);
    expect(ledger.keys('upstream-log').every((key) => key.includes('/00000000000000000009/'))).toBe(true);
  });

  it('should step down rather than take part of a ledger that holds more upstream records than a master reads', async () => {
    const b = nodeOn(dir(), ledger);
    opened.push(b.db);
    const full = {
      first: () => Promise.resolve({ entries: [], more: true }),
      get: () => Promise.resolve(undefined),
      putAll: () => Promise.resolve(),
    };
    await expect(
      takeUpstreamFromLedger(full, term('9'), new SqliteUpstreamLogAdoption(b.db), b.replica, quiet),
    ).rejects.toThrow('more than 40000');
  });
});
