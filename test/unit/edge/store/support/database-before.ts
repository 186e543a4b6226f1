/**
 * A store database file at the schema from just before the migration that contains `marker` (the table or column it
 * adds), for tests of what that migration keeps: found by its content, so a later migration does not move what the test
 * means by "before" (counting back from the last one did, each time a migration was added).
 */
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../../../../edge/store/store-database';

export function databaseBefore(file: string, marker: string): Database.Database {
  const before = MIGRATIONS.findIndex((sql) => sql.includes(marker));
  if (before < 0) throw new Error(`no migration contains ${marker}`);
  const old = new Database(file);
  MIGRATIONS.slice(0, before).forEach((sql) => old.exec(sql));
  old.pragma(`user_version = ${before}`);
  return old;
}
