import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SiteSchema, type Site } from '../../../../shared/site/site-schema';
import { bootstrapSite } from '../../../../edge/config/site-bootstrap';
import { KEPT_SITE_VERSIONS, MAX_SITE_BYTES, SqliteSiteVersionStore } from '../../../../edge/store/site-version-store';
import type { StoredValueProblem } from '../../../../edge/store/stored-json';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';

const site = (fuseAmps: number, chargers = 1): Site =>
  SiteSchema.parse({
    $schemaVersion: 1,
    id: 'store-site',
    circuits: [{ id: 'main', parent: null, fuseAmps }],
    chargers: Array.from({ length: chargers }, (_, i) => ({
      id: `CP-${i + 1}`,
      circuit: 'main',
      phases: 3,
      maxAmps: 32,
    })),
  });
const by = (at: number) => ({ author: 'admin', source: 'edit' as const, at });

describe('SqliteSiteVersionStore', () => {
  let dir: string;
  let db: StoreDatabase;
  let problems: StoredValueProblem[];
  let store: SqliteSiteVersionStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-site-store-'));
    db = openStoreDatabase(dir);
    problems = [];
    store = new SqliteSiteVersionStore(db, problems);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should save versions in order, each on the basis of the one in force, and keep the previous ones', () => {
    const first = store.save(site(63), by(1), 0);
    const second = store.save(site(40), by(2), 1);

    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(store.current()).toMatchObject({ version: 2, author: 'admin', source: 'edit', savedAt: 2, site: site(40) });
    expect(store.version(1)?.site).toEqual(site(63));
    expect(store.history().map((v) => v.version)).toEqual([2, 1]);
  });

  it('should refuse a save based on a version that is no longer in force, and say which is', () => {
    store.save(site(63), by(1), 0);
    store.save(site(40), by(2), 1);

    const stale = store.save(site(50), by(3), 1);

    expect(stale).toEqual({ ok: false, reason: 'stale', current: 2 });
    expect(store.current()?.site).toEqual(site(40));
  });

  it('should refuse a site larger than the limit without storing it', () => {
    const huge = { ...site(63), name: 'x'.repeat(MAX_SITE_BYTES) } as Site;

    expect(store.save(huge, by(1), 0)).toMatchObject({ ok: false, reason: 'tooLarge' });
    expect(store.currentVersion()).toBe(0);
  });

  it(`should keep the last ${KEPT_SITE_VERSIONS} versions only`, () => {
    for (let v = 0; v < KEPT_SITE_VERSIONS + 5; v++) store.save(site(10 + v), by(v), v);

    const versions = store.history().map((v) => v.version);
    expect(versions).toHaveLength(KEPT_SITE_VERSIONS);
    expect(Math.min(...versions)).toBe(6);
  });

  it('should not put a stored version that is not a valid site in force, and say why', () => {
    store.save(site(63), by(1), 0);
    db.prepare('UPDATE site_versions SET site = \'{"$schemaVersion": 2}\' WHERE version = 1').run();

    expect(store.current()).toBeUndefined();
    expect(problems.map((p) => p.key)).toEqual(['site version 1']);
  });
});

describe('bootstrapSite (which wins: the stored version or the site file)', () => {
  let dir: string;
  let db: StoreDatabase;
  let store: SqliteSiteVersionStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-site-bootstrap-'));
    db = openStoreDatabase(dir);
    store = new SqliteSiteVersionStore(db, []);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should import the site file as version 1 on the first start', () => {
    const outcome = bootstrapSite(store, site(63), 1);

    expect(outcome).toMatchObject({ imported: true, version: { version: 1, source: 'file', author: 'site file' } });
  });

  it('should keep the dashboard version in force while the site file is unchanged', () => {
    bootstrapSite(store, site(63), 1);
    store.save(site(40, 2), by(2), 1);

    const outcome = bootstrapSite(store, site(63), 3);

    expect(outcome).toMatchObject({ imported: false, version: { version: 2, site: site(40, 2) } });
  });

  it('should import the site file again once it changed, as a new version, keeping the dashboard one in the history', () => {
    bootstrapSite(store, site(63), 1);
    store.save(site(40, 2), by(2), 1);

    const outcome = bootstrapSite(store, site(50), 3);

    expect(outcome).toMatchObject({ imported: true, version: { version: 3, source: 'file', site: site(50) } });
    expect(store.version(2)?.site).toEqual(site(40, 2));
    // And the next start, with the file as it is now, keeps version 3.
    expect(bootstrapSite(store, site(50), 4)).toMatchObject({ imported: false, version: { version: 3 } });
  });
});
