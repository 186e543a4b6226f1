/** The dashboard admin's password hash in SQLite (one row): set once through the setup link, changed by the admin. */
import type { StoreDatabase } from './store-database';

export class SqliteAdminPasswordStore {
  private readonly read;
  private readonly write;

  constructor(db: StoreDatabase) {
    this.read = db.prepare<[], { password_hash: string }>('SELECT password_hash FROM dashboard_admin WHERE id = 1');
    this.write = db.prepare<[string, number]>(
      'INSERT INTO dashboard_admin (id, password_hash, changed_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, changed_at = excluded.changed_at',
    );
  }

  passwordHash(): string | undefined {
    return this.read.get()?.password_hash;
  }

  setPasswordHash(hash: string, at: number): void {
    this.write.run(hash, at);
  }
}
