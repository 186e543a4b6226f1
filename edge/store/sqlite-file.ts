/** Opens one SQLite file of the data folder in WAL mode and migrates it by `user_version`; storage faults name the file. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { storageFault } from './storage-faults';

export interface SqliteFileOptions {
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly foreignKeys: boolean;
  /** Applied in order from the file's `user_version` on, in one transaction. */
  readonly migrations: readonly string[];
}

/** `connect` opens the connection: a subclass of better-sqlite3's where the file's users need one. */
export function openSqliteFile<D extends Database.Database = Database.Database>(
  dataDir: string,
  fileName: string,
  options: SqliteFileOptions,
  connect: (file: string) => D = (file) => new Database(file) as D,
): D {
  const file = path.join(dataDir, fileName);
  let db: D | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    const open = connect(file);
    db = open;
    open.pragma('journal_mode = WAL');
    open.pragma(`synchronous = ${options.synchronous}`);
    if (options.foreignKeys) open.pragma('foreign_keys = ON');
    const version = open.pragma('user_version', { simple: true }) as number;
    open.transaction(() => {
      for (let v = version; v < options.migrations.length; v++) open.exec(options.migrations[v]!);
      open.pragma(`user_version = ${options.migrations.length}`);
    })();
    return open;
  } catch (error) {
    db?.close();
    throw storageFault(error, file) ?? error;
  }
}
