/**
 * The site version in force in the cluster's ledger (`site-version`, its parts under `site-version-parts/<version>/`,
 * site-version-record.ts): the master records every site change (an edit, an adoption, a restore on its dashboard)
 * conditional on its term before it saves the change in SQLite, so before the change takes effect and before the
 * dashboard answers; a standby refuses to change the site (409), since the next election would replace its change.
 * A new master reads the ledger's version before it serves and puts it in force when it is newer than its own.
 *
 * "Newer" is the version number, which the cluster keeps the same on every node: the master saves a change as the next
 * number after the one in force (the same as the ledger's, since it took the ledger's when it was elected), and a node
 * puts the ledger's version in force under the ledger's number. Never a clock: a version number only grows.
 */
import { AppError } from '../../shared/errors';
import { canonicalJson } from '../control/policy-in-force';
import type { MasterGate } from '../ocpp/central-system-ports';
import type { SiteVersionInForce } from '../store/site-version-store';
import type { LeaderLedger } from './leader-ledger';
import { decodeSiteVersion, encodeSiteVersion, MAX_SITE_PARTS, parseSiteVersionHead } from './site-version-record';

const HEAD = 'site-version';
const PARTS = 'site-version-parts';
/** Parts per etcd transaction: at most 16 × 60,000 characters, below etcd's 1.5 MiB per request. */
const PARTS_PER_WRITE = 16;
/** Keys deleted per etcd transaction: below etcd's default `--max-txn-ops` (128) with the term's compare. */
const DELETES_PER_WRITE = 96;
/** The parts folder read at most when old parts are deleted: the current version's, and those of writes cut short. */
const MAX_PARTS_KEPT = 4 * MAX_SITE_PARTS;

export class LedgerSiteVersion {
  constructor(private readonly ledger: LeaderLedger) {}

  /**
   * Records `version` in this node's term: its parts first, then the head that points at them (a write cut short
   * leaves the head on the previous version, whole), then the parts of every other version are deleted. Throws (and
   * fences) when the node does not lead.
   */
  async write(version: SiteVersionInForce): Promise<void> {
    const { head, parts } = encodeSiteVersion(version);
    const folder = `${PARTS}/${head.version}`;
    for (let first = 0; first < parts.length; first += PARTS_PER_WRITE)
      await this.ledger.putAll(
        parts.slice(first, first + PARTS_PER_WRITE).map((value, i) => ({ key: `${folder}/${first + i}`, value })),
      );
    await this.ledger.put(HEAD, JSON.stringify(head));
    const kept = new Set(parts.map((_, i) => `${folder}/${i}`));
    const stale = (await this.ledger.list(PARTS, MAX_PARTS_KEPT)).map(({ key }) => key).filter((key) => !kept.has(key));
    for (let first = 0; first < stale.length; first += DELETES_PER_WRITE)
      await this.ledger.putAll([], stale.slice(first, first + DELETES_PER_WRITE));
  }

  /** The ledger's version, if a master recorded one; throws `state.invalid` on one it cannot read whole. */
  async read(): Promise<SiteVersionInForce | undefined> {
    const entry = await this.ledger.get(HEAD);
    if (entry === undefined) return undefined;
    const head = parseSiteVersionHead(entry.value);
    const folder = `${PARTS}/${head.version}`;
    const parts = new Map<number, string>();
    for (const { key, value } of await this.ledger.list(folder, MAX_PARTS_KEPT)) {
      const index = Number(key.slice(folder.length + 1));
      if (Number.isInteger(index) && index >= 0) parts.set(index, value);
    }
    return decodeSiteVersion(head, parts);
  }
}

/** The site version in force on this node, as a new master reads and replaces it (dashboard/actions/site-changes.ts). */
export interface SiteVersionHolder {
  inForce(): SiteVersionInForce;
  /** Puts `version` in force under its own number, as a site change does (meters, control loop, registry, report). */
  adopt(version: SiteVersionInForce): Promise<void>;
}

/**
 * Elected: the ledger's version is put in force here when its number is higher than this node's; with none in the
 * ledger (the first master, or a site that was a single agent) this node's own is recorded, and so it is when this
 * node's number is higher (a site file imported here since). The same number with another site (both changed the site
 * apart: one as master, the other off the cluster) goes to the ledger's, under the next number, recorded again, so the
 * numbers stay the same on every node. What happened, for the log.
 */
export async function takeSiteFromLedger(ledger: LedgerSiteVersion, holder: SiteVersionHolder): Promise<string> {
  // Read whole and checked before anything changes here: a record that cannot be read stops the rebuild.
  const recorded = await ledger.read();
  const local = holder.inForce();
  if (recorded === undefined || recorded.version < local.version) {
    await ledger.write(local);
    return `recorded version ${local.version}`;
  }
  if (recorded.version > local.version) {
    await holder.adopt(recorded);
    return `adopted version ${recorded.version} over ${local.version}`;
  }
  if (sameSite(recorded, local)) return `same version ${local.version}`;
  const next = { ...recorded, version: local.version + 1 };
  await holder.adopt(next);
  await ledger.write(next);
  return `adopted the ledger's version ${recorded.version} as ${next.version} over this node's own`;
}

/**
 * Where a site change on a cluster node is recorded before it is saved (SiteChanges's `replica`): only on the master,
 * which records it in the ledger; a standby refuses (409 `cluster.notMaster`).
 */
export function siteReplica(
  ledger: LedgerSiteVersion,
  gate: MasterGate,
): { record(version: SiteVersionInForce): Promise<void> } {
  return {
    async record(version) {
      if (!gate.serving()) throw AppError.because('resource.conflict', 'cluster.notMaster');
      await ledger.write(version);
    },
  };
}

function sameSite(a: SiteVersionInForce, b: SiteVersionInForce): boolean {
  return canonicalJson({ site: a.site, meters: a.meters }) === canonicalJson({ site: b.site, meters: b.meters });
}
