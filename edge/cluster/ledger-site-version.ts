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
import { decodeSiteVersion, encodeSiteVersion, parseSiteVersionHead, VERSION_DIGITS } from './site-version-record';

const HEAD = 'site-version';
/** `site-version-parts/<version, 10 digits>/<index>`. */
const PARTS = 'site-version-parts';
/** Parts per etcd transaction: at most 16 × 60,000 characters, below etcd's 1.5 MiB per request. */
const PARTS_PER_WRITE = 16;

export class LedgerSiteVersion {
  constructor(private readonly ledger: LeaderLedger) {}

  /**
   * Records `version` in this node's term: its parts first (16 to an etcd transaction, below etcd's 1.5 MiB per
   * request), then the head that points at them, in one transaction with the deletion of every other version's parts
   * (a write cut short leaves the head on the previous version, whole). Throws (and fences) when the node does not lead.
   */
  async write(version: SiteVersionInForce): Promise<void> {
    const { head, parts } = encodeSiteVersion(version);
    const folder = partsFolder(head.version);
    for (let first = 0; first < parts.length; first += PARTS_PER_WRITE)
      await this.ledger.putAll(
        parts.slice(first, first + PARTS_PER_WRITE).map((value, i) => ({ key: `${folder}/${first + i}`, value })),
      );
    // With the head, every other version's parts go (a previous one, and those of writes cut short): two ranges, since
    // the folders' numbers are padded to sort as numbers.
    await this.ledger.putAll(
      [{ key: HEAD, value: JSON.stringify(head) }],
      [
        { from: `${PARTS}/0`, to: folder },
        { from: partsFolder(head.version + 1), to: `${PARTS}/:` },
      ],
    );
  }

  /** The ledger's version, if a master recorded one; throws `state.invalid` on one it cannot read whole. */
  async read(): Promise<SiteVersionInForce | undefined> {
    const entry = await this.ledger.get(HEAD);
    if (entry === undefined) return undefined;
    const head = parseSiteVersionHead(entry.value);
    // Each part alone: a page of a folder's keys is one gRPC answer (at most 4 MiB), and a site's parts may be more.
    const parts = new Map<number, string>();
    const read = await Promise.all(
      Array.from({ length: head.parts }, (_, index) => this.ledger.get(`${partsFolder(head.version)}/${index}`)),
    );
    for (const [index, entry] of read.entries()) if (entry !== undefined) parts.set(index, entry.value);
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

/** A version's parts folder, its number padded so that folders sort as their numbers do (`:` follows `9`). */
function partsFolder(version: number): string {
  return `${PARTS}/${String(version).padStart(VERSION_DIGITS, '0')}`;
}

function sameSite(a: SiteVersionInForce, b: SiteVersionInForce): boolean {
  return canonicalJson({ site: a.site, meters: a.meters }) === canonicalJson({ site: b.site, meters: b.meters });
}
