/**
 * Which site is in force at start: the stored version, unless the site file's site changed since it was last imported.
 *
 * The file is the bootstrap: on the first start its site becomes version 1. After that the dashboard's versions win
 * while the file still holds the site it was last imported from; once someone edits the file's site (an installer on the
 * gateway, a configuration tool), that edit is the newest intent and is imported as a new version at the next start. So
 * neither side silently undoes the other: an unchanged file never rolls back the dashboard's edits, and an edited file
 * is never ignored. The versions before the import stay in the history, restorable.
 */
import type { Site } from '../../shared/site/site-schema';
import { canonicalJson } from '../control/policy-in-force';
import type { SiteVersion, SqliteSiteVersionStore } from '../store/site-version-store';

export interface BootstrapOutcome {
  readonly version: SiteVersion;
  /** True when the file's site was imported at this start (first start, or the file's site changed). */
  readonly imported: boolean;
}

/** Decides the site in force and stores the file's site as the basis of the next start's decision. */
export function bootstrapSite(store: SqliteSiteVersionStore, fileSite: Site, now: number): BootstrapOutcome {
  const stored = store.current();
  const basis = store.fileBasis();
  if (stored !== undefined && basis !== undefined && canonicalJson(basis) === canonicalJson(fileSite))
    return { version: stored, imported: false };
  const saved = store.save(fileSite, { author: 'site file', source: 'file', at: now }, store.currentVersion());
  // Only this process writes the store at start-up: a stale base cannot happen; a site the file loader took is not too large.
  if (!saved.ok) throw new Error(`the site file's site could not be stored (${saved.reason})`);
  store.setFileBasis(fileSite);
  return { version: saved.version, imported: true };
}
