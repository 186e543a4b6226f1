/** The sync state's own SQLite file (`<dataDir>/outbox.sqlite`): the outbox, the policy sync state and seen commands. */
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../store/sqlite-file';

export type OutboxDatabase = Database.Database;

export const OUTBOX_FILE = 'outbox.sqlite';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   -- AUTOINCREMENT: a sequence number is never reused, even after every row was deleted, so message ids stay unique.
   CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, at INTEGER NOT NULL,
     -- 0: telemetry (downsampled first), 1: an info event (dropped next), 2: sessions and faults (never dropped).
     drop_class INTEGER NOT NULL, bytes INTEGER NOT NULL, message TEXT NOT NULL);
   CREATE INDEX outbox_stream ON outbox (stream, seq);
   CREATE INDEX outbox_drop ON outbox (drop_class, seq);
   CREATE TABLE commands (
     command_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL, result TEXT, answered INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX commands_received ON commands (received_at);`,
];

/** Opens (creating or migrating) `<dataDir>/outbox.sqlite` in WAL mode. */
export function openOutboxDatabase(dataDir: string): OutboxDatabase {
  // NORMAL: a commit survives a crash of the agent; a power cut may lose the last commits before a WAL sync.
  // FULL would fsync on every enqueue and make the control loop wait on the disk.
  return openSqliteFile(dataDir, OUTBOX_FILE, { synchronous: 'NORMAL', foreignKeys: false, migrations: MIGRATIONS });
}

/** A small key-value table beside the outbox (the id epoch, the policy sync state). */
export class SyncMeta {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: OutboxDatabase) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM sync_meta WHERE key = ?');
    this.setStmt = db.prepare<[string, string]>(
      'INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }
}
