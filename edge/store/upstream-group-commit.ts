/**
 * Group commits for the forward log (docs/csms.md, "The forward log"): the writes asked for within one event-loop
 * turn run together in one SQLite transaction, so a site's many chargers share one `synchronous = FULL` commit
 * instead of paying one each. Each write's promise settles only after the commit that holds it: whoever awaits it
 * (the relay, before it answers a charger) knows the write is on disk. A write that throws is rolled back alone
 * (each runs in its own savepoint); a commit that fails (a full disk) rejects every write it held, and nothing of
 * them is on disk.
 */
import type { StoreDatabase } from './store-database';

/** Writes per transaction at most; more wait for the next one (a bounded batch keeps one commit short). */
export const MAX_WRITES_PER_COMMIT = 1_000;

interface PendingWrite {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class UpstreamGroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly db: StoreDatabase) {}

  /** Runs `write` in the next group transaction; resolves with its result once that transaction is committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate runs after the I/O of this turn: every charger message read in it joins the same commit.
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what waits now (the agent's shutdown calls it before closing the database). */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.pending.length > 0) this.commit(this.pending.splice(0, MAX_WRITES_PER_COMMIT));
  }

  private commit(batch: readonly PendingWrite[]): void {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const { write } of batch) {
          try {
            // Nested: a savepoint, so a write that throws leaves the others in the transaction.
            outcomes.push({ ok: true, value: this.db.transaction(write)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) resolve(outcome.value);
      else reject(outcome?.error);
    });
  }
}
