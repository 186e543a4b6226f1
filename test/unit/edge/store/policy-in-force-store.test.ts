import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SqliteControlStateStore } from '../../../../edge/store/control-state-store';
import { DATABASE_FILE, MIGRATIONS, openStoreDatabase } from '../../../../edge/store/store-database';

const configured = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 32 } });
const edited = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 20 } });

describe('policy_in_force migration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-policy-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A database at the schema before the policy-in-force record, with the policy and its basis as meta keys. */
  const oldDatabase = (policy: unknown) => {
    const old = new Database(path.join(dir, DATABASE_FILE));
    MIGRATIONS.slice(0, 4).forEach((sql) => old.exec(sql));
    old.pragma('user_version = 4');
    old
      .prepare("INSERT INTO meta (key, value) VALUES ('policy', ?), ('policyBasis', ?)")
      .run(JSON.stringify(policy), JSON.stringify(configured));
    old.close();
  };

  it.each([
    ['an edit', edited, 'local'],
    ['the site file', configured, 'config'],
  ])(
    'should move the stored policy (%s) into the record with its source and drop the meta keys',
    (_what, policy, source) => {
      oldDatabase(policy);

      const db = openStoreDatabase(dir);
      const stored = new SqliteControlStateStore(db).policyInForce.loadPolicyInForce();
      const leftover = db.prepare("SELECT key FROM meta WHERE key IN ('policy', 'policyBasis')").all();
      db.close();

      expect(stored).toEqual({ record: { policy, source, version: 0, appliedAt: 0 }, basis: configured });
      expect(leftover).toEqual([]);
    },
  );
});
