/**
 * The charging profiles an operator's CSMS set on each charger, kept as the SetChargingProfile requests it sent, so that
 * a restart caps leases as before (edge/upstream/csms-limits.ts checks each one again when it reads them back).
 */
import { z } from 'zod';
import type { CsmsProfileStore } from '../upstream/csms-limits';
import type { StoreDatabase } from './store-database';
import { jsonOrUndefined } from './stored-json';

/** Larger than any list CsmsLimits keeps (`maxProfilesPerCharger`); a longer one is not ours. */
const MAX_STORED_PROFILES = 256;
const RequestsSchema = z.array(z.unknown()).max(MAX_STORED_PROFILES);

export class SqliteUpstreamCsmsProfileStore implements CsmsProfileStore {
  private readonly readAll;
  private readonly write;
  private readonly remove;
  private readonly replaceAll;

  constructor(db: StoreDatabase) {
    this.readAll = db.prepare<[], { charger_id: string; requests: string }>(
      'SELECT charger_id, requests FROM upstream_csms_profiles ORDER BY charger_id',
    );
    this.write = db.prepare<[string, string]>(
      'INSERT INTO upstream_csms_profiles (charger_id, requests) VALUES (?, ?) ' +
        'ON CONFLICT (charger_id) DO UPDATE SET requests = excluded.requests',
    );
    this.remove = db.prepare<[string]>('DELETE FROM upstream_csms_profiles WHERE charger_id = ?');
    const removeAll = db.prepare('DELETE FROM upstream_csms_profiles');
    // One SQLite transaction: a crash leaves the old copy or the new one, never a mix.
    this.replaceAll = db.transaction((all: ReadonlyMap<string, readonly unknown[]>) => {
      removeAll.run();
      for (const [chargerId, requests] of all) this.save(chargerId, requests);
    });
  }

  /** Every charger's requests; a row that is not a list of them is skipped. */
  load(): Map<string, readonly unknown[]> {
    const kept = new Map<string, readonly unknown[]>();
    for (const row of this.readAll.all()) {
      const requests = RequestsSchema.safeParse(jsonOrUndefined(row.requests)).data;
      if (requests !== undefined) kept.set(row.charger_id, requests);
    }
    return kept;
  }

  save(chargerId: string, requests: readonly unknown[]): void {
    if (requests.length === 0) this.remove.run(chargerId);
    else this.write.run(chargerId, JSON.stringify(requests));
  }

  replace(all: ReadonlyMap<string, readonly unknown[]>): void {
    this.replaceAll(all);
  }
}
