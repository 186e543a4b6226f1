/**
 * The site version in force in the ledger (edge/cluster/ledger-site-version.ts) on a real etcd, with a real leader, the
 * agent's real SQLite version store and its SiteChanges: a site too large for one value is written in several etcd
 * transactions and read back whole, only the current version's parts stay; a new master takes a newer version under
 * its number, records its own where the ledger has none or an older one, and takes the ledger's on a tie; a record it
 * cannot read whole stops the rebuild and changes nothing here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LedgerSiteVersion, takeSiteFromLedger } from '../../../edge/cluster/ledger-site-version';
import { SiteChanges } from '../../../edge/dashboard/actions/site-changes';
import { SqliteSiteVersionStore, type SiteVersionInForce } from '../../../edge/store/site-version-store';
import { openStoreDatabase, type StoreDatabase } from '../../../edge/store/store-database';
import { PolicySchema } from '../../../shared/policy/policy-schema';
import { SiteSchema, type Site } from '../../../shared/site/site-schema';
import { EtcdCluster } from './support/etcd-cluster';
import { RecordedNode, siteSettings } from './support/recorded-node';

function site(chargers: number, text: () => string = () => 'Acme'): Site {
  return SiteSchema.parse({
    $schemaVersion: 1,
    id: 'ledger-site',
    circuits: [{ id: 'main', parent: null, fuseAmps: 4000 }],
    chargers: Array.from({ length: chargers }, (_, i) => ({
      id: `CP-${i + 1}`,
      circuit: 'main',
      phases: 3,
      maxAmps: 32,
      vendor: text(),
      model: text(),
    })),
  });
}

const versionOf = (version: number, chargers: Site, author = 'admin'): SiteVersionInForce => ({
  version,
  author,
  source: 'edit',
  savedAt: 1_000 * version,
  site: chargers,
  meters: [],
});

describe('the site version in force in the cluster ledger', () => {
  let etcd: EtcdCluster;
  let node: RecordedNode | undefined;
  let db: StoreDatabase | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
  });
  afterEach(async () => {
    await node?.close();
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function leader(): Promise<RecordedNode> {
    node = new RecordedNode('gw-a', siteSettings(etcd.endpoints, 6));
    node.leadership.start();
    await node.electedTimes(1, 15_000);
    return node;
  }

  /** A node's site versions as the agent keeps them, with the site file's `initial` as version 1. */
  function localSite(initial: Site) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-ledger-site-'));
    db = openStoreDatabase(dir);
    const store = new SqliteSiteVersionStore(db, []);
    store.save({ site: initial, meters: [] }, { author: 'site file', source: 'file', at: 1 }, 0);
    const applied: number[] = [];
    const changes = new SiteChanges({
      versions: store,
      context: () => ({
        policy: PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 48 } }),
        openSessions: [],
      }),
      apply: (version) => {
        applied.push(version.version);
        return Promise.resolve();
      },
      report: () => undefined,
      now: () => 5_000,
    });
    return { store, changes, applied };
  }

  it('should write a site too large for one etcd request in several, read it back whole, and keep only the current version’s parts', async () => {
    // Arrange: about 3.8 MB of JSON that does not compress, 2.2 MB in parts: more than one etcd request carries (1.5 MiB)
    const { ledger, client } = await leader();
    const record = new LedgerSiteVersion(ledger);
    const large = versionOf(
      7,
      site(10_000, () => randomBytes(75).toString('base64')),
    );

    // Act
    await record.write(large);
    const read = await record.read();
    // A write cut short after its parts, at a higher number (its master died before the head)
    await client.put(`${node?.settings.ledgerPrefix}site-version-parts/0000000012/0`).value('cut short');
    await record.write(versionOf(8, site(2)));
    const parts = await client.getAll().prefix(`${node?.settings.ledgerPrefix}site-version-parts/`).keys();

    // Assert
    expect(read).toEqual(large);
    expect(parts.map((key) => key.slice(key.indexOf('site-version-parts/')))).toEqual([
      'site-version-parts/0000000008/0',
    ]);
    expect(await record.read()).toEqual(versionOf(8, site(2)));
  });

  it('should take a newer version under its number, record its own where the ledger has none or an older one, and take the ledger’s on a tie', async () => {
    // Arrange
    const { ledger } = await leader();
    const record = new LedgerSiteVersion(ledger);
    const { store, changes, applied } = localSite(site(1));

    // Act / Assert: none in the ledger (a site that was a single agent): this node's own is recorded
    expect(await takeSiteFromLedger(record, changes)).toBe('recorded version 1');
    expect(await record.read()).toMatchObject({ version: 1, site: site(1) });
    expect(await takeSiteFromLedger(record, changes)).toBe('same version 1');

    // A newer version in the ledger (made on another master): in force here, under its number, through the change path
    await record.write(versionOf(3, site(3), 'installer'));
    expect(await takeSiteFromLedger(record, changes)).toBe('adopted version 3 over 1');
    expect(store.current()).toMatchObject({ version: 3, author: 'installer', source: 'edit', site: site(3) });
    expect(applied).toEqual([3]);

    // This node's number higher (a site file imported here since): its own is recorded
    store.save({ site: site(4), meters: [] }, { author: 'site file', source: 'file', at: 2 }, 3);
    expect(await takeSiteFromLedger(record, changes)).toBe('recorded version 4');
    expect(await record.read()).toMatchObject({ version: 4, site: site(4), source: 'file' });

    // The same number with another site: the ledger's, as the next number, here and in the ledger
    await record.write(versionOf(4, site(2)));
    expect(await takeSiteFromLedger(record, changes)).toBe("adopted the ledger's version 4 as 5 over this node's own");
    expect(store.current()).toMatchObject({ version: 5, site: site(2) });
    expect(await record.read()).toMatchObject({ version: 5, site: site(2) });
    expect(applied).toEqual([3, 5]);
  });

  it('should stop on a record it cannot read whole, and change nothing here', async () => {
    // Arrange: a version of several parts in the ledger, newer than this node's
    const { ledger, client } = await leader();
    const record = new LedgerSiteVersion(ledger);
    const { store, changes, applied } = localSite(site(1));
    await record.write(
      versionOf(
        6,
        site(1_500, () => randomBytes(75).toString('base64')),
      ),
    );
    const prefix = node?.settings.ledgerPrefix ?? '';
    const other = (await client.get(`${prefix}site-version-parts/0000000006/0`).string()) ?? '';

    // Act / Assert: a part missing (a write cut short, or deleted by hand)
    await client.delete().key(`${prefix}site-version-parts/0000000006/1`);
    await expect(takeSiteFromLedger(record, changes)).rejects.toMatchObject({
      code: 'state.invalid',
      message: expect.stringMatching(/site version 6 lacks part 1 of/) as unknown,
    });
    // A part of another write where part 1 was
    await client.put(`${prefix}site-version-parts/0000000006/1`).value(other);
    await expect(takeSiteFromLedger(record, changes)).rejects.toMatchObject({ code: 'state.invalid' });
    // A head that is not one
    await client.put(`${prefix}site-version`).value(JSON.stringify({ version: 6 }));
    await expect(takeSiteFromLedger(record, changes)).rejects.toMatchObject({
      code: 'state.invalid',
      message: "the ledger's site-version is not a site version's head",
    });
    expect(store.current()).toMatchObject({ version: 1, site: site(1) });
    expect(applied).toEqual([]);
  });

  it('should refuse a version this node cannot take (another nominal voltage) and change nothing here', async () => {
    // Arrange
    const { ledger } = await leader();
    const record = new LedgerSiteVersion(ledger);
    const { store, changes, applied } = localSite(site(1));
    await record.write(versionOf(2, { ...site(2), nominalVolts: 240 }));

    // Act / Assert
    await expect(takeSiteFromLedger(record, changes)).rejects.toMatchObject({
      code: 'state.invalid',
      message: expect.stringContaining('site.nominalVolts') as unknown,
    });
    expect(store.current()).toMatchObject({ version: 1 });
    expect(applied).toEqual([]);
  });
});
