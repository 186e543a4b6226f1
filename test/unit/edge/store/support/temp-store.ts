/** A store database in a new temporary folder for each test of a `describe`, closed and removed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStoreDatabase, type StoreDatabase } from '../../../../../edge/store/store-database';

export interface TempStore {
  readonly dir: string;
  /** The open database; a test that replaces it (a reopened file) assigns the new one. */
  db: StoreDatabase;
}

export function useTempStore(prefix: string): TempStore {
  const store = { dir: '', db: undefined as unknown as StoreDatabase };
  beforeEach(() => {
    store.dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    store.db = openStoreDatabase(store.dir);
  });
  afterEach(() => {
    store.db.close();
    rmSync(store.dir, { recursive: true, force: true });
  });
  return store;
}
