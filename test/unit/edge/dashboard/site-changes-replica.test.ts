/**
 * A site change on a cluster node (SiteChanges with a `replica`, edge/cluster/ledger-site-version.ts): recorded in the
 * ledger, as the next version, before it is saved here; refused with nothing saved where the ledger refuses (a
 * standby); a stale base refused before the ledger is asked; changes one at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteChanges, type SiteVersionReplica } from '../../../../edge/dashboard/actions/site-changes';
import { SqliteSiteVersionStore, type SiteVersionInForce } from '../../../../edge/store/site-version-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { AppError } from '../../../../shared/errors';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema, type Site } from '../../../../shared/site/site-schema';

const site = (fuseAmps: number): Site =>
  SiteSchema.parse({
    $schemaVersion: 1,
    id: 'replica-site',
    circuits: [{ id: 'main', parent: null, fuseAmps }],
    chargers: [{ id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 }],
  });

describe('a site change on a cluster node', () => {
  let db: StoreDatabase | undefined;
  let dir: string | undefined;
  afterEach(() => {
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Version 1 in force; the replica records what it is given, with the version saved here at that moment. */
  function node(refuse = false) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-site-replica-'));
    db = openStoreDatabase(dir);
    const store = new SqliteSiteVersionStore(db, []);
    store.save({ site: site(63), meters: [] }, { author: 'site file', source: 'file', at: 1 }, 0);
    const recorded: { version: SiteVersionInForce; savedHere: number }[] = [];
    const replica: SiteVersionReplica = {
      async record(version) {
        await Promise.resolve();
        if (refuse) throw AppError.because('resource.conflict', 'cluster.notMaster');
        recorded.push({ version, savedHere: store.currentVersion() });
      },
    };
    const changes = new SiteChanges({
      versions: store,
      context: () => ({
        policy: PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 48 } }),
        openSessions: [],
      }),
      apply: () => Promise.resolve(),
      report: () => undefined,
      now: () => 5_000,
      replica,
    });
    return { store, changes, recorded };
  }
  const edit = (fuseAmps: number, baseVersion: number) =>
    ({ site: site(fuseAmps), baseVersion, author: 'admin', source: 'edit' }) as const;

  it('should record the change in the ledger as the next version before it is saved here', async () => {
    // Arrange
    const { store, changes, recorded } = node();

    // Act
    const saved = await changes.change(edit(50, 1));

    // Assert
    expect(recorded).toEqual([
      {
        version: { version: 2, author: 'admin', source: 'edit', savedAt: 5_000, site: site(50), meters: [] },
        savedHere: 1,
      },
    ]);
    expect(saved).toMatchObject({ version: 2, site: site(50) });
    expect(store.currentVersion()).toBe(2);
  });

  it('should save nothing where the ledger refuses the change (a standby)', async () => {
    // Arrange
    const { store, changes } = node(true);

    // Act / Assert
    await expect(changes.change(edit(50, 1))).rejects.toMatchObject({
      code: 'resource.conflict',
      ref: { reason: 'cluster.notMaster' },
    });
    expect(store.current()).toMatchObject({ version: 1, site: site(63) });
  });

  it('should refuse a stale base before the ledger is asked, and take two changes on one base one at a time', async () => {
    // Arrange
    const { store, changes, recorded } = node();

    // Act: two changes on version 1 at once
    const [first, second] = await Promise.allSettled([changes.change(edit(50, 1)), changes.change(edit(40, 1))]);

    // Assert: the first recorded and saved, the second refused as stale, never recorded
    expect(first).toMatchObject({ status: 'fulfilled', value: { version: 2 } });
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { code: 'resource.conflict', details: [{ path: 'baseVersion' }] },
    });
    expect(recorded.map((r) => r.version.version)).toEqual([2]);
    expect(store.current()).toMatchObject({ version: 2, site: site(50) });
  });
});
