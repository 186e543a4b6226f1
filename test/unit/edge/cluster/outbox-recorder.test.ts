/**
 * The master's outbox copied into the ledger (edge/cluster/outbox-recorder.ts): a real outbox on SQLite, a ledger of
 * our own port that records each write (one etcd transaction each on a real master), fake timers for the flush.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LEDGER_OPS_PER_WRITE, type LedgerRecord } from '../../../../edge/cluster/leader-ledger';
import { OUTBOX_FLUSH_MS, outboxKey, takeOutboxFromLedger } from '../../../../edge/cluster/ledger-outbox';
import { OutboxRecorder } from '../../../../edge/cluster/outbox-recorder';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { eventBody, sessionBody, telemetryBody, tempDir } from '../sync/sync-builders';

interface Write {
  readonly puts: readonly LedgerRecord[];
  readonly deletes: readonly string[];
}

/** The ledger as the recorder writes it: each write's puts and deletes, and what it holds after them. */
class RecordingLedger {
  readonly writes: Write[] = [];
  readonly held = new Map<string, string>();
  /** While set, each write waits for it (a write on its way). */
  gate: Promise<void> | undefined;
  failNext = false;

  async putAll(entries: readonly LedgerRecord[], deletes: readonly string[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('etcd did not answer');
    }
    await this.gate;
    this.writes.push({ puts: entries, deletes });
    for (const key of deletes) this.held.delete(key);
    for (const { key, value } of entries) this.held.set(key, value);
  }
}

const quiet = { warn: vi.fn(), error: vi.fn() };

describe('OutboxRecorder', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let outbox: Outbox;
  let ledger: RecordingLedger;
  let recorder: OutboxRecorder;

  const flush = () => vi.advanceTimersByTimeAsync(OUTBOX_FLUSH_MS);
  const ids = (results: ReturnType<Outbox['enqueue']>[]) => results.map((r) => (r.ok ? r.messageId : ''));
  const acknowledge = (stream: 'telemetry' | 'sessions' | 'events', count: number) =>
    outbox.acknowledge(outbox.read(stream, 0, count).map((row) => row.seq));

  beforeEach(() => {
    vi.useFakeTimers();
    vi.clearAllMocks();
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
    outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 64 * 1024 ** 2, now: () => 1_700_000_000_000 });
    ledger = new RecordingLedger();
    recorder = new OutboxRecorder(ledger, quiet, 50);
    recorder.attach(outbox);
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
    tmp.remove();
  });

  it('should copy nothing while the node does not lead', async () => {
    outbox.enqueue('events', eventBody('warning'));
    await flush();
    recorder.begin([]);
    recorder.fenced();
    outbox.enqueue('events', eventBody('warning'));
    await flush();
    expect(ledger.writes).toEqual([]);
  });

  it('should copy each message as it will be published, under its id, batched into writes of at most 96 keys', async () => {
    recorder = new OutboxRecorder(ledger, quiet, 1_000);
    recorder.attach(outbox);
    recorder.begin([]);
    const queued = ids(Array.from({ length: 200 }, () => outbox.enqueue('telemetry', telemetryBody())));
    expect(ledger.writes).toEqual([]);
    await flush();
    expect(ledger.writes.map((w) => w.puts.length)).toEqual([LEDGER_OPS_PER_WRITE, LEDGER_OPS_PER_WRITE, 8]);
    const published = outbox.read('telemetry', 0, 200).map((row) => row.message);
    expect([...ledger.held.keys()]).toEqual(queued.map(outboxKey));
    expect([...ledger.held.values()]).toEqual(published);
  });

  it('should not write a message the cloud acknowledged before the flush, and delete one acknowledged after its write', async () => {
    recorder.begin([]);
    const [first, second] = ids([
      outbox.enqueue('events', eventBody('warning')),
      outbox.enqueue('events', eventBody('info')),
    ]);
    acknowledge('events', 1);
    await flush();
    expect(ledger.writes).toEqual([{ puts: [expect.objectContaining({ key: outboxKey(second!) })], deletes: [] }]);
    acknowledge('events', 1);
    await flush();
    expect(ledger.writes[1]).toEqual({ puts: [], deletes: [outboxKey(second!)] });
    expect(ledger.held.size).toBe(0);
    expect(first).not.toBe(second);
  });

  it('should delete a copy acknowledged while its write was on its way, once written', async () => {
    recorder.begin([]);
    let release = () => {};
    ledger.gate = new Promise((resolve) => (release = resolve));
    const [id] = ids([outbox.enqueue('events', eventBody('critical'))]);
    await flush();
    acknowledge('events', 1);
    ledger.gate = undefined;
    release();
    await flush();
    expect(ledger.writes.map((w) => [w.puts.map((p) => p.key), w.deletes])).toEqual([
      [[outboxKey(id!)], []],
      [[], [outboxKey(id!)]],
    ]);
    expect(recorder.status()).toEqual({ copies: 0, pending: 0, writing: 0, deletes: 0 });
  });

  it("should keep one copy per session: a session's progress replaces its earlier message", async () => {
    recorder.begin([]);
    const [started] = ids([outbox.enqueue('sessions', sessionBody(1, 'started'))]);
    await flush();
    const later = ids([1, 2, 3].map(() => outbox.enqueue('sessions', sessionBody(1, 'updated'))));
    const other = ids([outbox.enqueue('sessions', sessionBody(2, 'started'))]);
    await flush();
    expect([...ledger.held.keys()]).toEqual([outboxKey(later[2]!), outboxKey(other[0]!)]);
    expect(ledger.writes[1]!.deletes).toEqual([outboxKey(started!)]);
  });

  it('should copy no more than its limit, and copy again once copies are deleted', async () => {
    recorder.begin([]);
    const queued = ids(Array.from({ length: 60 }, () => outbox.enqueue('events', eventBody('warning'))));
    await flush();
    expect(ledger.held.size).toBe(50);
    expect(quiet.warn).toHaveBeenCalledWith({ limit: 50 }, expect.stringContaining('not copied'));
    acknowledge('events', 10);
    await flush();
    const next = ids([outbox.enqueue('events', eventBody('warning'))]);
    await flush();
    expect(ledger.held.size).toBe(41);
    expect(ledger.held.has(outboxKey(next[0]!))).toBe(true);
    expect(ledger.held.has(outboxKey(queued[55]!))).toBe(false);
  });

  it('should delete the copy of a message the outbox gave up when over its byte limit', async () => {
    outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 4_000, now: () => 1_700_000_000_000 });
    recorder = new OutboxRecorder(ledger, quiet, 1_000);
    recorder.attach(outbox);
    recorder.begin([]);
    for (let k = 0; k < 10; k++) outbox.enqueue('telemetry', telemetryBody(k));
    await flush();
    for (let k = 0; k < 20; k++) outbox.enqueue('telemetry', telemetryBody(k));
    await flush();
    const stored = outbox
      .read('telemetry', 0, 100)
      .map((row) => (JSON.parse(row.message) as { messageId: string }).messageId);
    expect(outbox.stats().telemetryThinned).toBeGreaterThan(0);
    expect([...ledger.held.keys()].sort()).toEqual(stored.map(outboxKey).sort());
  });

  it('should try a failed write again at the next flush, and change nothing for a write answered after the fence', async () => {
    recorder.begin([]);
    ledger.failNext = true;
    const [id] = ids([outbox.enqueue('events', eventBody('warning'))]);
    await flush();
    expect(ledger.writes).toEqual([]);
    await flush();
    expect([...ledger.held.keys()]).toEqual([outboxKey(id!)]);

    let release = () => {};
    ledger.gate = new Promise((resolve) => (release = resolve));
    outbox.enqueue('events', eventBody('warning'));
    await flush();
    recorder.fenced();
    release();
    await flush();
    acknowledge('events', 2);
    await flush();
    expect(ledger.writes).toHaveLength(2);
    expect(recorder.status()).toEqual({ copies: 0, pending: 0, writing: 0, deletes: 0 });
  });

  it('should copy what a new term stores while a write of the term before is still on its way', async () => {
    recorder.begin([]);
    let release = () => {};
    ledger.gate = new Promise((resolve) => (release = resolve));
    outbox.enqueue('events', eventBody('warning'));
    await flush();
    recorder.fenced();
    recorder.begin([]);
    const [id] = ids([outbox.enqueue('events', eventBody('critical'))]);
    await flush();
    ledger.gate = undefined;
    release();
    await flush();
    expect(ledger.held.has(outboxKey(id!))).toBe(true);
  });
});

describe('takeOutboxFromLedger', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.clearAllMocks();
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
    tmp.remove();
  });

  /** Messages of another node's outbox, as its recorder wrote them. */
  function oldMastersCopies(count: number, siteId = 'site-1'): LedgerRecord[] {
    const other = tempDir();
    const otherDb = openOutboxDatabase(other.dir);
    try {
      const old = new Outbox(otherDb, { siteId, maxBytes: 64 * 1024 ** 2, now: () => 1_600_000_000_000 });
      for (let k = 0; k < count; k++) old.enqueue('events', eventBody('warning', `old ${k}`));
      return old.read('events', 0, count).map(({ message }) => ({
        key: outboxKey((JSON.parse(message) as { messageId: string }).messageId),
        value: message,
      }));
    } finally {
      otherDb.close();
      other.remove();
    }
  }

  it("should take every copy into the outbox as it is, before this node's own, and delete each once acknowledged", async () => {
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 64 * 1024 ** 2, now: () => 1_700_000_000_000 });
    const ledger = new RecordingLedger();
    const recorder = new OutboxRecorder(ledger, quiet);
    recorder.attach(outbox);
    const copies = oldMastersCopies(3);

    const taken = await takeOutboxFromLedger(
      { first: () => Promise.resolve({ entries: copies, more: false }) },
      outbox,
      recorder,
      quiet,
    );
    outbox.enqueue('events', eventBody('warning', 'new master'));
    await vi.advanceTimersByTimeAsync(OUTBOX_FLUSH_MS);

    expect(taken).toEqual({ taken: 3, refused: 0, more: false });
    const rows = outbox.read('events', 0, 10);
    expect(rows.slice(0, 3).map((row) => row.message)).toEqual(copies.map((copy) => copy.value));
    // The copies are not written again; the new master's own message is.
    expect(ledger.writes.flatMap((w) => w.puts.map((p) => p.key))).toHaveLength(1);
    outbox.acknowledge(rows.slice(0, 3).map((row) => row.seq));
    await vi.advanceTimersByTimeAsync(OUTBOX_FLUSH_MS);
    expect(ledger.writes.at(-1)!.deletes).toEqual(copies.map((copy) => copy.key));
  });

  it('should delete a copy that is not a message of this site, and say when the ledger holds more than it takes', async () => {
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 64 * 1024 ** 2, now: () => 1_700_000_000_000 });
    const ledger = new RecordingLedger();
    const recorder = new OutboxRecorder(ledger, quiet);
    recorder.attach(outbox);
    const [foreign] = oldMastersCopies(1, 'site-2');

    const taken = await takeOutboxFromLedger(
      { first: () => Promise.resolve({ entries: [foreign!, ...oldMastersCopies(2)], more: true }) },
      outbox,
      recorder,
      quiet,
    );
    await vi.advanceTimersByTimeAsync(OUTBOX_FLUSH_MS);

    expect(taken).toEqual({ taken: 2, refused: 1, more: true });
    expect(outbox.stats().messages).toBe(2);
    expect(ledger.writes).toEqual([{ puts: [], deletes: [foreign!.key] }]);
    expect(quiet.warn).toHaveBeenCalledWith({ taken: 2 }, expect.stringContaining('the rest waits'));
  });
});
