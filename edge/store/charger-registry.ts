/** Known chargers and their password hashes in SQLite: the central system's credentials and directory. */
import type { Charger } from '../../shared/site/site-schema';
import type { ChargerCredentials, ChargerDirectory, CredentialCheck } from '../ocpp/central-system-ports';
import { verifyPassword } from '../ocpp/password-hash';
import type { StoreDatabase } from './store-database';

export class SqliteChargerRegistry implements ChargerCredentials, ChargerDirectory {
  private readonly site = new Map<string, Charger>();
  private readonly getHash;
  private readonly upsertHash;
  private readonly boot;

  constructor(private readonly db: StoreDatabase, chargers: readonly Charger[]) {
    for (const charger of chargers) this.site.set(charger.id, charger);
    this.getHash = db.prepare<[string], { password_hash: string | null }>('SELECT password_hash FROM chargers WHERE id = ?');
    this.upsertHash = db.prepare<[string, string]>(
      'INSERT INTO chargers (id, password_hash) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash',
    );
    this.boot = db.prepare<{ id: string; vendor: string; model: string; at: number }>(
      `INSERT INTO chargers (id, vendor, model, first_seen_at, last_boot_at) VALUES (@id, @vendor, @model, @at, @at)
       ON CONFLICT (id) DO UPDATE SET vendor = excluded.vendor, model = excluded.model, last_boot_at = excluded.last_boot_at,
         first_seen_at = coalesce(chargers.first_seen_at, excluded.first_seen_at)`,
    );
  }

  /** The stored hash of a charger's password, if any. */
  passwordHash(chargerId: string): string | undefined {
    return this.getHash.get(chargerId)?.password_hash ?? undefined;
  }

  /** Stores hashes (never passwords) for the given chargers, in one transaction. */
  setPasswordHashes(hashes: ReadonlyMap<string, string>): void {
    this.db.transaction(() => {
      for (const [id, hash] of hashes) this.upsertHash.run(id, hash);
    })();
  }

  recordBoot(chargerId: string, vendor: string, model: string, at: number): void {
    this.boot.run({ id: chargerId, vendor, model, at });
  }

  async verify(chargerId: string, password: Buffer | undefined): Promise<CredentialCheck> {
    const stored = this.passwordHash(chargerId);
    if (stored === undefined) return 'unknown';
    if (password === undefined) return 'invalid';
    return (await verifyPassword(password, stored)) ? 'valid' : 'invalid';
  }

  find(chargerId: string): Charger | undefined {
    return this.site.get(chargerId);
  }
}
