/**
 * The charger registry's credentials in the cluster's ledger (`chargers/<charger id>`, one key per charger): its
 * password's hash (scrypt, never the password), when it was set on the dashboard and the configured hash that replaced,
 * and its switch. The master writes a charger's record, conditional on its term, before the change takes effect here
 * (before SQLite has it, so before the next connection is checked against it and before the charger is told); a new
 * master puts the ledger's records in its SQLite before it serves, so a password rotated on the old master lets the
 * charger in on the new one, and the old password no longer does.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { IdSchema } from '../../shared/site/site-schema';
import type { ChargerCredentialRecord } from '../store/charger-registry';
import type { LeaderLedger } from './leader-ledger';

/** The site schema's most chargers: every charger of the largest site fits in one bounded read. */
export const MAX_LEDGER_CHARGERS = 20_000;

const FOLDER = 'chargers';
/** Records per etcd transaction: below etcd's default `--max-txn-ops` (128) with the term's compare. */
const RECORDS_PER_WRITE = 96;

/** A scrypt hash is about 100 characters (`scrypt$N$r$p$salt$hash`); anything far longer is not one. */
const HashSchema = z.string().min(1).max(512);

const RecordSchema = z
  .object({
    passwordHash: HashSchema.nullable(),
    passwordSetAt: z.number().int().nullable(),
    passwordBasis: HashSchema.nullable(),
    enabled: z.boolean(),
  })
  .strict();

/** Where a new master puts the ledger's records (edge/store/charger-registry.ts). */
export interface ChargerCredentialStore {
  credentials(chargerId: string): ChargerCredentialRecord;
  /** In one write to the disk. */
  setCredentials(records: ReadonlyMap<string, ChargerCredentialRecord>): void;
  /** Every charger whose password was set, or that was switched off, on this node's dashboard. */
  changedOnDashboard(): ReadonlyMap<string, ChargerCredentialRecord>;
}

export class LedgerChargers {
  constructor(private readonly ledger: LeaderLedger) {}

  /** Records `record` for `chargerId` in this node's term; throws (and fences) when the node does not lead. */
  async write(chargerId: string, record: ChargerCredentialRecord): Promise<void> {
    await this.ledger.put(keyOf(chargerId), JSON.stringify(RecordSchema.parse(record)));
  }

  /** Every charger's record, by charger id; throws on one it cannot read (a new master must not guess). */
  async read(): Promise<Map<string, ChargerCredentialRecord>> {
    const records = new Map<string, ChargerCredentialRecord>();
    for (const { key, value } of await this.ledger.list(FOLDER, MAX_LEDGER_CHARGERS)) {
      const chargerId = key.slice(FOLDER.length + 1);
      try {
        records.set(IdSchema.parse(chargerId), RecordSchema.parse(JSON.parse(value)));
      } catch (error) {
        throw new AppError('state.invalid', `the ledger's ${key} is not a charger record`, [], { cause: error });
      }
    }
    return records;
  }

  /**
   * Elected: puts every record of the ledger in `store` where it differs, in one write, then records what this node's
   * dashboard changed that the ledger lacks (set while the site was no cluster yet, or on a node that ran without this):
   * the ledger's record wins, the next master has the rest. How many it changed here and how many it recorded.
   */
  async rebuild(store: ChargerCredentialStore): Promise<{ readonly changed: number; readonly recorded: number }> {
    const ledger = await this.read();
    const changed = new Map<string, ChargerCredentialRecord>();
    for (const [chargerId, record] of ledger)
      if (!sameRecord(store.credentials(chargerId), record)) changed.set(chargerId, record);
    store.setCredentials(changed);
    const missing = [...store.changedOnDashboard()].filter(([chargerId]) => !ledger.has(chargerId));
    for (let first = 0; first < missing.length; first += RECORDS_PER_WRITE) {
      const entries = missing.slice(first, first + RECORDS_PER_WRITE).map(([chargerId, record]) => ({
        key: keyOf(chargerId),
        value: JSON.stringify(RecordSchema.parse(record)),
      }));
      await this.ledger.putAll(entries);
    }
    return { changed: changed.size, recorded: missing.length };
  }
}

function keyOf(chargerId: string): string {
  if (!IdSchema.safeParse(chargerId).success)
    throw new AppError('message.invalid', `"${chargerId}" is not a charger id: no record written`);
  return `${FOLDER}/${chargerId}`;
}

function sameRecord(a: ChargerCredentialRecord, b: ChargerCredentialRecord): boolean {
  return (
    a.passwordHash === b.passwordHash &&
    a.passwordSetAt === b.passwordSetAt &&
    a.passwordBasis === b.passwordBasis &&
    a.enabled === b.enabled
  );
}
