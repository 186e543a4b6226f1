/**
 * Which site is in force at start: the stored version, unless the site file's site or meters changed since they were
 * last imported.
 *
 * The file is the bootstrap: on the first start its site and meters become version 1. After that the dashboard's
 * versions win while the file still holds the site and meters it was last imported from; once someone edits either in
 * the file (an installer on the gateway, a configuration tool), that edit is the newest intent and both are imported as
 * a new version at the next start. So neither side silently undoes the other: an unchanged file never rolls back the
 * dashboard's edits, and an edited file is never ignored. The versions before the import stay in the history,
 * restorable.
 *
 * A database from before the meters were part of a version (migration 10) ran with the file's meters: the first start
 * after it keeps the stored site and adds the file's meters to it, as a new version.
 */
import { canonicalJson } from '../control/policy-in-force';
import type { SiteRecord, SiteVersionInForce, SqliteSiteVersionStore } from '../store/site-version-store';

export interface BootstrapOutcome {
  /** The version in force; it always holds its meters. */
  readonly version: SiteVersionInForce;
  /** True when the file's site and meters were imported at this start (first start, or the file changed). */
  readonly imported: boolean;
}

/** Decides the site in force and stores the file's site and meters as the basis of the next start's decision. */
export function bootstrapSite(store: SqliteSiteVersionStore, file: SiteRecord, now: number): BootstrapOutcome {
  const stored = store.current();
  const basis = store.fileBasis();
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const unchanged =
    stored !== undefined &&
    basis !== undefined &&
    same(basis.site, file.site) &&
    (basis.meters === undefined || same(basis.meters, file.meters));
  if (unchanged && stored.meters !== undefined)
    return { version: { ...stored, meters: stored.meters }, imported: false };
  const record = unchanged ? { site: stored.site, meters: file.meters } : file;
  const saved = store.save(record, { author: 'site file', source: 'file', at: now }, store.currentVersion());
  // Only this process writes the store at start-up: a stale base cannot happen; a site the file loader took is not too large.
  if (!saved.ok) throw new Error(`the site file's site could not be stored (${saved.reason})`);
  store.setFileBasis(file);
  return { version: { ...saved.version, meters: record.meters }, imported: !unchanged };
}
