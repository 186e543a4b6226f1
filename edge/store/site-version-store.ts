/**
 * The site as versioned data in `site_versions`: each version holds the site and the meters the agent reads (the site
 * file's `site` and `meters[]`); the version in force is the highest; each save is conditional on the version it was
 * based on (two installers editing at once: the second is refused, not merged), and the previous versions stay for
 * restoring. `site_file_basis` keeps the site file's site and meters as they were last imported
 * (edge/config/site-bootstrap.ts).
 */
import { SiteSchema, type Site } from '../../shared/site/site-schema';
import { MeterConfigListSchema, type MeterConfig } from '../meter/meter-config';
import type { StoreDatabase } from './store-database';
import { parseStoredJson, type StoredValueProblem } from './stored-json';

/** A site (with its meters) a little over the schema's 5,000 circuits and 20,000 chargers is a mistake: a stored version stays below this. */
export const MAX_SITE_BYTES = 4 * 1024 * 1024;
/** The versions kept; older ones are deleted as new ones are saved (the audit log keeps who changed what). */
export const KEPT_SITE_VERSIONS = 100;

/** Where a version came from: the site file at start-up, an edit on the dashboard, an adoption or a restore there. */
export type SiteVersionSource = 'file' | 'edit' | 'adoption' | 'restore';

export interface SiteVersionMeta {
  readonly version: number;
  readonly author: string;
  readonly source: SiteVersionSource;
  readonly savedAt: number;
}

export interface SiteVersion extends SiteVersionMeta {
  readonly site: Site;
  /**
   * The meters the agent reads with this version; absent on a version saved before the meters were part of it (a
   * database from before migration 10, when the meters in force were always the site file's).
   */
  readonly meters?: readonly MeterConfig[];
}

/** A version as put in force: with its meters (edge/config/site-bootstrap.ts adds them to a version from before). */
export type SiteVersionInForce = SiteVersion & { readonly meters: readonly MeterConfig[] };

/** What a save stores: the site and its meters, checked together by the caller (`circuitMeterIssues`). */
export interface SiteRecord {
  readonly site: Site;
  readonly meters: readonly MeterConfig[];
}

/** The site file's site and meters as last imported (raw JSON: compared, never put in force from here). */
export interface FileBasis {
  readonly site: unknown;
  /** Absent when the basis was stored before the meters were part of it. */
  readonly meters?: unknown;
}

export type SiteSaveResult =
  | { readonly ok: true; readonly version: SiteVersion }
  | { readonly ok: false; readonly reason: 'stale'; readonly current: number }
  | { readonly ok: false; readonly reason: 'tooLarge'; readonly bytes: number };

interface VersionRow {
  version: number;
  site: string;
  meters: string | null;
  author: string;
  source: string;
  saved_at: number;
}

const SOURCES: readonly string[] = ['file', 'edit', 'adoption', 'restore'] satisfies SiteVersionSource[];

export class SqliteSiteVersionStore {
  private readonly latest;
  private readonly byVersion;
  private readonly list;
  private readonly insert;
  private readonly prune;
  private readonly basisRow;
  private readonly upsertBasis;

  constructor(
    private readonly db: StoreDatabase,
    /** Where a stored version that cannot be used is told. */
    private readonly problems: { push(problem: StoredValueProblem): void },
  ) {
    this.latest = db.prepare<[], VersionRow>(
      'SELECT version, site, meters, author, source, saved_at FROM site_versions ORDER BY version DESC LIMIT 1',
    );
    this.byVersion = db.prepare<[number], VersionRow>(
      'SELECT version, site, meters, author, source, saved_at FROM site_versions WHERE version = ?',
    );
    this.list = db.prepare<[number], Omit<VersionRow, 'site' | 'meters'>>(
      'SELECT version, author, source, saved_at FROM site_versions ORDER BY version DESC LIMIT ?',
    );
    this.insert = db.prepare<[number, string, string, string, string, number]>(
      'INSERT INTO site_versions (version, site, meters, author, source, saved_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.prune = db.prepare<[number]>('DELETE FROM site_versions WHERE version <= ?');
    this.basisRow = db.prepare<[], { site: string; meters: string | null }>(
      'SELECT site, meters FROM site_file_basis WHERE id = 1',
    );
    this.upsertBasis = db.prepare<[string, string]>(
      'INSERT INTO site_file_basis (id, site, meters) VALUES (1, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET site = excluded.site, meters = excluded.meters',
    );
  }

  /** The version in force (the highest whose site is still valid), or undefined before the first import. */
  current(): SiteVersion | undefined {
    const row = this.latest.get();
    return row && this.parse(row);
  }

  /** The number of the version in force, 0 before the first. */
  currentVersion(): number {
    return this.latest.get()?.version ?? 0;
  }

  /** One version, if it is still kept and valid. */
  version(version: number): SiteVersion | undefined {
    const row = this.byVersion.get(version);
    return row && this.parse(row);
  }

  /** The versions kept, newest first. */
  history(limit = KEPT_SITE_VERSIONS): SiteVersionMeta[] {
    return this.list.all(limit).map((row) => meta(row));
  }

  /**
   * Saves `record` as the next version (or as `asVersion`, a higher number: a cluster node keeps the ledger's numbers)
   * if `baseVersion` is still the version in force; the check and the write are one transaction, so two saves based on
   * the same version cannot both succeed.
   */
  save(
    { site, meters }: SiteRecord,
    by: { readonly author: string; readonly source: SiteVersionSource; readonly at: number },
    baseVersion: number,
    asVersion = baseVersion + 1,
  ): SiteSaveResult {
    if (!Number.isInteger(asVersion) || asVersion <= baseVersion)
      throw new RangeError(`site version ${asVersion} does not follow ${baseVersion}`);
    const text = JSON.stringify(site);
    const metersText = JSON.stringify(meters);
    const bytes = Buffer.byteLength(text) + Buffer.byteLength(metersText);
    if (bytes > MAX_SITE_BYTES) return { ok: false, reason: 'tooLarge', bytes };
    return this.db.transaction((): SiteSaveResult => {
      const current = this.currentVersion();
      if (current !== baseVersion) return { ok: false, reason: 'stale', current };
      const version = asVersion;
      this.insert.run(version, text, metersText, by.author.slice(0, 200), by.source, by.at);
      this.prune.run(version - KEPT_SITE_VERSIONS);
      return {
        ok: true,
        version: { version, author: by.author, source: by.source, savedAt: by.at, site, meters },
      };
    })();
  }

  /** The site file's site and meters as last imported. */
  fileBasis(): FileBasis | undefined {
    const row = this.basisRow.get();
    const raw = (key: string, text: string) =>
      parseStoredJson(key, text, (json) => ({ success: true, data: json }), this.problems);
    const site = row && raw('siteFileBasis', row.site);
    if (site === undefined) return undefined;
    const meters = row?.meters == null ? undefined : raw('siteFileBasis.meters', row.meters);
    return meters === undefined ? { site } : { site, meters };
  }

  setFileBasis({ site, meters }: SiteRecord): void {
    this.upsertBasis.run(JSON.stringify(site), JSON.stringify(meters));
  }

  private parse(row: VersionRow): SiteVersion | undefined {
    const key = `site version ${row.version}`;
    const site = parseStoredJson(key, row.site, (json) => SiteSchema.safeParse(json), this.problems);
    if (site === undefined) return undefined;
    if (row.meters === null) return { ...meta(row), site };
    const meters = parseStoredJson(key, row.meters, (json) => MeterConfigListSchema.safeParse(json), this.problems);
    return meters && { ...meta(row), site, meters };
  }
}

function meta(row: Omit<VersionRow, 'site' | 'meters'>): SiteVersionMeta {
  return {
    version: row.version,
    author: row.author,
    source: SOURCES.includes(row.source) ? (row.source as SiteVersionSource) : 'edit',
    savedAt: row.saved_at,
  };
}
