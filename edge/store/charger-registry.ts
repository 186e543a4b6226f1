/** Known chargers and their password hashes in SQLite: the central system's credentials and directory, and what the dashboard shows and sets. */
import type { Charger } from '../../shared/site/site-schema';
import type { ChargerCredentials, ChargerDirectory, CredentialCheck } from '../ocpp/central-system-ports';
import { VerifiedPasswords } from '../security/verified-passwords';
import type { StoreDatabase } from './store-database';

/** What the agent remembers of a charger besides the site configuration. */
export interface ChargerRecord {
  readonly vendor: string | undefined;
  readonly model: string | undefined;
  readonly firmware: string | undefined;
  readonly lastBootAt: number | undefined;
  readonly enabled: boolean;
  readonly hasPassword: boolean;
  /** When an installer last set the password on the dashboard. */
  readonly passwordSetAt: number | undefined;
}

/**
 * What decides whether and how a charger gets in: its password's hash (never the password), when an installer set it
 * on the dashboard and the configured hash that replaced, and its switch. A cluster's master keeps it in the ledger.
 */
export interface ChargerCredentialRecord {
  readonly passwordHash: string | null;
  readonly passwordSetAt: number | null;
  readonly passwordBasis: string | null;
  readonly enabled: boolean;
}

/** `record` with a password set on the dashboard: the first such change remembers the configured hash it replaced. */
export function withDashboardPassword(
  record: ChargerCredentialRecord,
  hash: string,
  at: number,
): ChargerCredentialRecord {
  const basis = record.passwordSetAt === null ? record.passwordHash : record.passwordBasis;
  return { ...record, passwordHash: hash, passwordSetAt: at, passwordBasis: basis };
}

/** A password set on the dashboard, with the configured hash it replaced (`undefined`: the configuration had none). */
export interface DashboardPassword {
  readonly hash: string;
  readonly basis: string | undefined;
}

interface ChargerRow {
  vendor: string | null;
  model: string | null;
  firmware: string | null;
  last_boot_at: number | null;
  enabled: number;
  password_hash: string | null;
  password_set_at: number | null;
  password_basis: string | null;
}

export class SqliteChargerRegistry implements ChargerCredentials, ChargerDirectory {
  private readonly site = new Map<string, Charger>();
  private readonly getHash;
  private readonly upsertHash;
  private readonly boot;
  private readonly getRow;
  private readonly upsertEnabled;
  private readonly upsertCredentials;
  private readonly dashboardRows;

  constructor(
    private readonly db: StoreDatabase,
    chargers: readonly Charger[],
    /** The checks this process made already (a charger's next connection costs no scrypt). */
    private readonly passwords = new VerifiedPasswords(),
  ) {
    this.setSite(chargers);
    this.getHash = db.prepare<[string], { password_hash: string | null }>(
      'SELECT password_hash FROM chargers WHERE id = ?',
    );
    this.upsertHash = db.prepare<[string, string]>(
      `INSERT INTO chargers (id, password_hash) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, password_set_at = NULL, password_basis = NULL`,
    );
    this.boot = db.unsynced.prepare<{ id: string; vendor: string; model: string; firmware: string | null; at: number }>(
      `INSERT INTO chargers (id, vendor, model, firmware, first_seen_at, last_boot_at) VALUES (@id, @vendor, @model, @firmware, @at, @at)
       ON CONFLICT (id) DO UPDATE SET vendor = excluded.vendor, model = excluded.model, firmware = excluded.firmware,
         last_boot_at = excluded.last_boot_at, first_seen_at = coalesce(chargers.first_seen_at, excluded.first_seen_at)`,
    );
    this.getRow = db.prepare<[string], ChargerRow>(
      'SELECT vendor, model, firmware, last_boot_at, enabled, password_hash, password_set_at, password_basis FROM chargers WHERE id = ?',
    );
    this.upsertEnabled = db.prepare<[string, number]>(
      'INSERT INTO chargers (id, enabled) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled',
    );
    this.dashboardRows = db.prepare<[], ChargerRow & { id: string }>(
      `SELECT id, vendor, model, firmware, last_boot_at, enabled, password_hash, password_set_at, password_basis FROM chargers
       WHERE password_set_at IS NOT NULL OR enabled = 0 ORDER BY id`,
    );
    this.upsertCredentials = db.prepare<{
      id: string;
      hash: string | null;
      setAt: number | null;
      basis: string | null;
      enabled: number;
    }>(
      `INSERT INTO chargers (id, password_hash, password_set_at, password_basis, enabled) VALUES (@id, @hash, @setAt, @basis, @enabled)
       ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, password_set_at = excluded.password_set_at,
         password_basis = excluded.password_basis, enabled = excluded.enabled`,
    );
  }

  /** Puts a new site version's chargers in the directory (edge/main.ts, once the control loop has it in force). */
  setSite(chargers: readonly Charger[]): void {
    this.site.clear();
    for (const charger of chargers) this.site.set(charger.id, charger);
  }

  /** The stored hash of a charger's password, if any. */
  passwordHash(chargerId: string): string | undefined {
    return this.getHash.get(chargerId)?.password_hash ?? undefined;
  }

  /** Stores hashes (never passwords) from the configuration for the given chargers, in one transaction. */
  setPasswordHashes(hashes: ReadonlyMap<string, string>): void {
    this.db.transaction(() => {
      for (const [id, hash] of hashes) this.upsertHash.run(id, hash);
    })();
  }

  /** Stores a password an installer set on the dashboard; the central system checks the next connection against it. */
  setDashboardPassword(chargerId: string, hash: string, at: number): void {
    this.db.transaction(() => {
      this.setCredentials(new Map([[chargerId, withDashboardPassword(this.credentials(chargerId), hash, at)]]));
    })();
  }

  /** The charger's password hash, its dashboard history and its switch (a charger never stored: none, switched on). */
  credentials(chargerId: string): ChargerCredentialRecord {
    return credentialsOf(this.getRow.get(chargerId));
  }

  /** The credentials of every charger whose password was set, or that was switched off, on the dashboard. */
  changedOnDashboard(): Map<string, ChargerCredentialRecord> {
    return new Map(this.dashboardRows.all().map((row) => [row.id, credentialsOf(row)]));
  }

  /**
   * Replaces each charger's credentials as a whole (a cluster's new master, from the ledger), in one SQLite transaction:
   * one disk sync for a thousand chargers rather than one each.
   */
  setCredentials(records: ReadonlyMap<string, ChargerCredentialRecord>): void {
    this.db.transaction(() => {
      for (const [id, record] of records)
        this.upsertCredentials.run({
          id,
          hash: record.passwordHash,
          setAt: record.passwordSetAt,
          basis: record.passwordBasis,
          enabled: record.enabled ? 1 : 0,
        });
    })();
  }

  /** The password set on the dashboard, if the current one is. */
  dashboardPassword(chargerId: string): DashboardPassword | undefined {
    const row = this.getRow.get(chargerId);
    if (row?.password_hash == null || row.password_set_at === null) return undefined;
    return { hash: row.password_hash, basis: row.password_basis ?? undefined };
  }

  setEnabled(chargerId: string, enabled: boolean): void {
    this.upsertEnabled.run(chargerId, enabled ? 1 : 0);
  }

  record(chargerId: string): ChargerRecord {
    const row = this.getRow.get(chargerId);
    return {
      vendor: row?.vendor ?? undefined,
      model: row?.model ?? undefined,
      firmware: row?.firmware ?? undefined,
      lastBootAt: row?.last_boot_at ?? undefined,
      enabled: row === undefined || row.enabled === 1,
      hasPassword: row?.password_hash != null,
      passwordSetAt: row?.password_set_at ?? undefined,
    };
  }

  recordBoot(
    chargerId: string,
    boot: { vendor: string; model: string; firmwareVersion: string | undefined; at: number },
  ): void {
    // History the charger tells again at its next boot (or a new master's TriggerMessage): a power cut may lose it, and
    // a fleet booting at once must not cost an fsync each. Passwords and switches stay fully synced.
    this.boot({
      id: chargerId,
      vendor: boot.vendor,
      model: boot.model,
      firmware: boot.firmwareVersion ?? null,
      at: boot.at,
    });
  }

  async verify(chargerId: string, password: Buffer | undefined): Promise<CredentialCheck> {
    const stored = this.passwordHash(chargerId);
    if (stored === undefined) return 'unknown';
    if (password === undefined) return 'invalid';
    return (await this.passwords.verify(password, stored)) ? 'valid' : 'invalid';
  }

  find(chargerId: string): Charger | undefined {
    return this.site.get(chargerId);
  }
}

function credentialsOf(row: ChargerRow | undefined): ChargerCredentialRecord {
  return {
    passwordHash: row?.password_hash ?? null,
    passwordSetAt: row?.password_set_at ?? null,
    passwordBasis: row?.password_basis ?? null,
    enabled: row === undefined || row.enabled === 1,
  };
}
