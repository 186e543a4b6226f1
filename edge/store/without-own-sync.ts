/**
 * Writes that may wait for the next synced commit: the store runs `synchronous = FULL` (transaction ids must never
 * repeat after a power cut), and a commit of its own on each of these would cost an fsync, hundreds a minute at a busy
 * site. A write here survives a crash of the process either way; a power cut can lose it until the next synced commit
 * or checkpoint, so only rows that are re-learnt (a lease re-sent, a boot recorded again) go through here.
 */
import type { StoreDatabase } from './store-database';

/**
 * Runs `write` in a commit that is not synced to disk on its own (WAL, `synchronous = NORMAL`): it reaches the disk
 * with the next synced commit or checkpoint. Inside a transaction the transaction's own setting applies.
 */
export function withoutOwnSync(db: StoreDatabase, write: () => void): void {
  if (db.inTransaction) return write();
  const level = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    write();
  } finally {
    db.pragma(`synchronous = ${level}`);
  }
}
