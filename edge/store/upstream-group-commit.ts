/**
 * Group commits for the forward log (docs/csms.md, "The forward log"): the writes asked for within one event-loop
 * turn run together in one SQLite transaction, so a site's many chargers share one commit instead of paying one each.
 * Each write's promise settles only once the commit that holds it is on disk: whoever awaits it (the relay, before it
 * answers a charger) knows the write is durable. A write that throws is rolled back alone (each runs in its own
 * savepoint); a commit that fails (a full disk) rejects every write it held, and nothing of them is on disk.
 *
 * The disk flush is off the event loop: a group is committed without waiting for the disk (`synchronous = NORMAL`,
 * the WAL frames are written, not flushed), and the WAL file is then flushed by `fsync` on libuv's thread pool; its
 * writes settle when that flush returns (a flush covers every frame written before it began). One flush runs at a
 * time, and the groups committed meanwhile share the next one. With `synchronous = FULL` each commit blocked the
 * event loop for its fsync (about 2.5 ms on this project's machine), which 500 chargers' messages queued behind.
 */
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import type { StoreDatabase } from './store-database';
import type { UpstreamLogChanges, UpstreamLogReplica } from './upstream-log-changes';

/** Writes per transaction at most; more wait for the next one (a bounded batch keeps one commit short). */
export const MAX_WRITES_PER_COMMIT = 1_000;

interface PendingWrite {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Settles one committed write once its commit is on disk (or fails it when the flush failed). */
type Settle = (flushError: unknown) => void;

/** Flushes a file to disk off the event loop (fs.fsync); injected so that a test can hold a flush back. */
export type FileFlush = (fd: number, done: (error: unknown) => void) => void;

const flushOnThreadPool: FileFlush = (fd, done) => fsync(fd, (error) => done(error ?? undefined));

export class UpstreamGroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  /** Committed writes waiting for the next flush of the WAL file. */
  private unflushed: Settle[] = [];
  /** Committed writes the flush in flight holds. */
  private inFlight: Settle[] = [];
  private flushing = false;
  private closeAfterFlush = false;
  /** The WAL file, opened once something was committed. */
  private walFd: number | undefined;
  /** The connection's own level, restored after each group (the database's other writers keep theirs). */
  private readonly synchronous: number;

  constructor(
    private readonly db: StoreDatabase,
    private readonly flushFile: FileFlush = flushOnThreadPool,
    /**
     * On a cluster master: the changes the log's writes note, and the ledger they go to. A group's writes settle only
     * once its changes are in the ledger as well as on disk (and fail when the ledger refuses them).
     */
    private readonly replication?: { readonly changes: UpstreamLogChanges; readonly replica: UpstreamLogReplica },
  ) {
    this.synchronous = db.pragma('synchronous', { simple: true }) as number;
  }

  /** Runs `write` in the next group transaction; resolves with its result once that transaction is on disk. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate runs after the I/O of this turn: every charger message read in it joins the same commit.
      this.scheduled ??= setImmediate(() => {
        this.commitPending();
        this.flushWal();
      });
    });
  }

  /**
   * Commits what waits now and flushes it to disk before returning, settling every write (the agent's shutdown calls
   * it before closing the database).
   */
  flush(): void {
    this.commitPending();
    const settling = [...this.inFlight, ...this.unflushed];
    this.unflushed = [];
    let flushError: unknown;
    try {
      if (settling.length > 0 && this.walFd !== undefined) fsyncSync(this.walFd);
    } catch (error) {
      flushError = error;
    }
    // A write the flush in flight holds settles now; its own settling later changes nothing (a promise settles once).
    for (const settle of settling) settle(flushError);
    if (this.flushing) this.closeAfterFlush = true;
    else this.closeWal();
  }

  private commitPending(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.pending.length > 0) this.commit(this.pending.splice(0, MAX_WRITES_PER_COMMIT));
  }

  private commit(batch: readonly PendingWrite[]): void {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const changes = this.replication?.changes;
    const before = changes?.mark() ?? 0;
    try {
      this.db.pragma('synchronous = NORMAL');
      try {
        this.db.transaction(() => {
          for (const { write } of batch) {
            const mark = changes?.mark() ?? 0;
            try {
              // Nested: a savepoint, so a write that throws leaves the others in the transaction.
              outcomes.push({ ok: true, value: this.db.transaction(write)() });
            } catch (error) {
              changes?.rollback(mark);
              outcomes.push({ ok: false, error });
            }
          }
        })();
      } finally {
        this.db.pragma(`synchronous = ${this.synchronous}`);
      }
    } catch (error) {
      changes?.rollback(before);
      for (const { reject } of batch) reject(error);
      return;
    }
    // To the ledger while the disk flushes; every group goes (one with no change of its own carries what an earlier
    // group's failed write left, which a charger's repeat of its message then waits for).
    const replicated = this.replication?.replica.write(changes?.take() ?? []);
    replicated?.catch(() => undefined);
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      this.unflushed.push((flushError) => {
        if (flushError !== undefined) reject(flushError);
        else if (!outcome?.ok) reject(outcome?.error);
        else if (replicated === undefined) resolve(outcome.value);
        else replicated.then(() => resolve(outcome.value), reject);
      });
    });
  }

  /** Starts a flush of what was committed, unless one runs (the next one, started when it returns, takes it). */
  private flushWal(): void {
    if (this.flushing || this.unflushed.length === 0) return;
    const settling = this.unflushed;
    this.unflushed = [];
    let fd: number;
    try {
      fd = this.walFd ??= openSync(`${this.db.name}-wal`, 'r');
    } catch (error) {
      for (const settle of settling) settle(error);
      return;
    }
    this.inFlight = settling;
    this.flushing = true;
    this.flushFile(fd, (error) => {
      this.flushing = false;
      this.inFlight = [];
      if (this.closeAfterFlush) this.closeWal();
      for (const settle of settling) settle(error);
      this.flushWal();
    });
  }

  private closeWal(): void {
    this.closeAfterFlush = false;
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
  }
}
