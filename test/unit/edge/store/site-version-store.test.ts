import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SiteSchema, type Site } from '../../../../shared/site/site-schema';
import { bootstrapSite } from '../../../../edge/config/site-bootstrap';
import { MeterConfigSchema, type MeterConfig } from '../../../../edge/meter/meter-config';
import {
  KEPT_SITE_VERSIONS,
  MAX_SITE_BYTES,
  SqliteSiteVersionStore,
  type SiteRecord,
} from '../../../../edge/store/site-version-store';
import type { StoredValueProblem } from '../../../../edge/store/stored-json';
import { DATABASE_FILE, openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { databaseBefore } from './support/database-before';

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
const meter = (host: string): MeterConfig =>
  MeterConfigSchema.parse({ meterId: 'grid', model: 'eastron-sdm630', connection: { transport: 'tcp', host } });
/** A site version with its meters (none unless given). */
const record = (fuseAmps: number, chargers = 1, meters: readonly MeterConfig[] = []): SiteRecord => ({
  site: site(fuseAmps, chargers),
  meters,
});

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
    const first = store.save(record(63), by(1), 0);
    const second = store.save(record(40), by(2), 1);

    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(store.current()).toMatchObject({ version: 2, author: 'admin', source: 'edit', savedAt: 2, site: site(40) });
    expect(store.version(1)?.site).toEqual(site(63));
    expect(store.history().map((v) => v.version)).toEqual([2, 1]);
  });

  it('should refuse a save based on a version that is no longer in force, and say which is', () => {
    store.save(record(63), by(1), 0);
    store.save(record(40), by(2), 1);

    const stale = store.save(record(50), by(3), 1);

    expect(stale).toEqual({ ok: false, reason: 'stale', current: 2 });
    expect(store.current()?.site).toEqual(site(40));
  });

  it('should refuse a site larger than the limit without storing it', () => {
    const huge = { ...site(63), name: 'x'.repeat(MAX_SITE_BYTES) } as Site;

    expect(store.save({ site: huge, meters: [] }, by(1), 0)).toMatchObject({ ok: false, reason: 'tooLarge' });
    expect(store.currentVersion()).toBe(0);
  });

  it(`should keep the last ${KEPT_SITE_VERSIONS} versions only`, () => {
    for (let v = 0; v < KEPT_SITE_VERSIONS + 5; v++) store.save(record(10 + v), by(v), v);

    const versions = store.history().map((v) => v.version);
    expect(versions).toHaveLength(KEPT_SITE_VERSIONS);
    expect(Math.min(...versions)).toBe(6);
  });

  it('should keep each version with its meters, and a version with other meters as a version of its own', () => {
    store.save(record(63, 1, [meter('10.0.0.1')]), by(1), 0);
    store.save(record(63, 1, [meter('10.0.0.2')]), by(2), 1);

    expect(store.current()?.meters).toEqual([meter('10.0.0.2')]);
    expect(store.version(1)?.meters).toEqual([meter('10.0.0.1')]);
  });

  it('should not put a stored version whose meters are not valid meters in force, and say why', () => {
    store.save(record(63, 1, [meter('10.0.0.1')]), by(1), 0);
    db.prepare('UPDATE site_versions SET meters = \'[{"meterId": "grid"}]\' WHERE version = 1').run();

    expect(store.current()).toBeUndefined();
    expect(problems.map((p) => p.key)).toEqual(['site version 1']);
  });

  it('should not put a stored version that is not a valid site in force, and say why', () => {
    store.save(record(63), by(1), 0);
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
    const outcome = bootstrapSite(store, record(63), 1);

    expect(outcome).toMatchObject({ imported: true, version: { version: 1, source: 'file', author: 'site file' } });
  });

  it('should keep the dashboard version in force while the site file is unchanged', () => {
    bootstrapSite(store, record(63), 1);
    store.save(record(40, 2), by(2), 1);

    const outcome = bootstrapSite(store, record(63), 3);

    expect(outcome).toMatchObject({ imported: false, version: { version: 2, site: site(40, 2) } });
  });

  it('should import the site file again once it changed, as a new version, keeping the dashboard one in the history', () => {
    bootstrapSite(store, record(63), 1);
    store.save(record(40, 2), by(2), 1);

    const outcome = bootstrapSite(store, record(50), 3);

    expect(outcome).toMatchObject({ imported: true, version: { version: 3, source: 'file', site: site(50) } });
    expect(store.version(2)?.site).toEqual(site(40, 2));
    // And the next start, with the file as it is now, keeps version 3.
    expect(bootstrapSite(store, record(50), 4)).toMatchObject({ imported: false, version: { version: 3 } });
  });

  it('should import the site file again when only its meters changed', () => {
    bootstrapSite(store, record(63, 1, [meter('10.0.0.1')]), 1);
    store.save(record(40, 2, [meter('10.0.0.1')]), by(2), 1);

    const outcome = bootstrapSite(store, record(63, 1, [meter('10.0.0.9')]), 3);

    expect(outcome).toMatchObject({ imported: true, version: { version: 3, meters: [meter('10.0.0.9')] } });
  });

  it("should keep the dashboard's meters while the site file's are unchanged", () => {
    bootstrapSite(store, record(63, 1, [meter('10.0.0.1')]), 1);
    store.save(record(63, 1, [meter('10.0.0.2')]), by(2), 1);

    const outcome = bootstrapSite(store, record(63, 1, [meter('10.0.0.1')]), 3);

    expect(outcome).toMatchObject({ imported: false, version: { version: 2, meters: [meter('10.0.0.2')] } });
  });
});

describe('a database from before the meters were part of a site version', () => {
  let dir: string;
  let db: StoreDatabase | undefined;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should keep its versions, and at the first start keep the dashboard's site with the site file's meters as a new version", () => {
    // Arrange: a database at the schema before migration 10, with the file's site as version 1 and a dashboard edit as 2
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-site-migration-'));
    mkdirSync(dir, { recursive: true });
    const old = databaseBefore(path.join(dir, DATABASE_FILE), 'ADD COLUMN meters');
    const insert = old.prepare(
      "INSERT INTO site_versions (version, site, author, source, saved_at) VALUES (?, ?, 'admin', ?, ?)",
    );
    insert.run(1, JSON.stringify(site(63)), 'file', 1);
    insert.run(2, JSON.stringify(site(40, 2)), 'edit', 2);
    old.prepare('INSERT INTO site_file_basis (id, site) VALUES (1, ?)').run(JSON.stringify(site(63)));
    old.close();

    // Act: the agent opens it (migrating it) and starts with the unchanged site file, whose meter ran until now
    db = openStoreDatabase(dir);
    const store = new SqliteSiteVersionStore(db, []);
    const olderVersion = store.version(2);
    const outcome = bootstrapSite(store, record(63, 1, [meter('10.0.0.1')]), 3);

    // Assert: the old versions read without meters; the dashboard's site stays in force, now with the file's meter
    expect(olderVersion).toMatchObject({ version: 2, site: site(40, 2) });
    expect(olderVersion?.meters).toBeUndefined();
    expect(outcome).toMatchObject({
      imported: false,
      version: { version: 3, source: 'file', site: site(40, 2), meters: [meter('10.0.0.1')] },
    });
    // And the next start with the same file changes nothing.
    expect(bootstrapSite(store, record(63, 1, [meter('10.0.0.1')]), 4)).toMatchObject({
      imported: false,
      version: { version: 3 },
    });
  });
});
