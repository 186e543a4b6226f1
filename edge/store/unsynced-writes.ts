/**
 * Writes that may wait for the next synced commit: the store runs `synchronous = FULL` (transaction ids must never
 * repeat after a power cut), and a commit of its own on each of these would cost an fsync, hundreds a minute at a busy
 * site. A write here survives a crash of the process either way; a power cut can lose it until the next synced commit
 * or checkpoint, so only rows that are re-learnt (a lease re-sent, a boot recorded again) go through here.
 *
 * They go through a second connection to the store's file, opened once with `synchronous = NORMAL`: in WAL mode its
 * commits write their frames without an fsync, and the next FULL commit of the store's connection (its fsync covers the
 * whole WAL file) or the next checkpoint puts them on disk. Before, each write switched the store's own connection to
 * NORMAL and back: three PRAGMAs around every lease and allocation saved, each prepared anew (SQLite applies
 * `synchronous` when a PRAGMA is prepared, not when it runs, so none could be kept).
 */
import Database from 'better-sqlite3';

/** The parameters `run` takes for a statement prepared with `P`: positional ones as they are, named ones as one object. */
type RunParams<P> = P extends unknown[] ? P : [P];

export class UnsyncedWrites {
  private readonly connection: Database.Database;

  /** `store`: the store's own connection, open on a file (its name is the file the second connection opens). */
  constructor(private readonly store: Database.Database) {
    this.connection = new Database(store.name, { fileMustExist: true });
    this.connection.pragma('synchronous = NORMAL');
    this.connection.pragma('foreign_keys = ON');
  }

  /**
   * A write prepared on both connections. It runs on the unsynced one; inside a transaction of the store's connection
   * it runs in that transaction (whose commit then decides; the second connection would wait for the first's lock).
   */
  prepare<P extends unknown[] | object = unknown[]>(sql: string): (...params: RunParams<P>) => void {
    const unsynced = this.connection.prepare(sql);
    const inTransaction = this.store.prepare(sql);
    return (...params) => void (this.store.inTransaction ? inTransaction : unsynced).run(...(params as unknown[]));
  }

  close(): void {
    this.connection.close();
  }
}
