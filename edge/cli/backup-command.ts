/**
 * `node backup.mjs <data dir> <backup dir>`: copies the agent's SQLite files (`ampshare.sqlite`, `outbox.sqlite`) with
 * SQLite's online backup, which is consistent while the agent runs (a plain copy of a WAL database is not), and writes
 * `manifest.json` with each file's schema version (`user_version`). The release's install script runs it before an
 * upgrade (and a rollback reads the manifest); an installer runs it for backups (docs/install.md).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../store/store-database';
import { OUTBOX_FILE } from '../sync/outbox-database';

const USAGE = 'usage: backup <data dir> <backup dir>';

async function backup(dataDir: string, to: string): Promise<Record<string, number>> {
  mkdirSync(to, { recursive: true, mode: 0o750 });
  const versions: Record<string, number> = {};
  for (const file of [DATABASE_FILE, OUTBOX_FILE]) {
    const source = path.join(dataDir, file);
    if (!existsSync(source)) continue;
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      versions[file] = db.pragma('user_version', { simple: true }) as number;
      await db.backup(path.join(to, file));
    } finally {
      db.close();
    }
  }
  writeFileSync(path.join(to, 'manifest.json'), `${JSON.stringify({ at: new Date().toISOString(), versions })}\n`);
  return versions;
}

const [dataDir, to, ...rest] = process.argv.slice(2);
if (dataDir === undefined || to === undefined || rest.length > 0) {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
} else {
  try {
    const versions = await backup(dataDir, to);
    process.stdout.write(`backed up ${Object.keys(versions).join(', ') || 'nothing (no database yet)'} to ${to}\n`);
  } catch (error) {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
