/**
 * The CSMS's authorisation data, kept for when it is out of reach: the local list it sent each charger (SendLocalList,
 * mirrored with its version once the charger accepted it) and a cache of the IdTagInfo it last gave each tag.
 */
import { z } from 'zod';
import type { StoreDatabase } from './store-database';
import { jsonOrUndefined } from './stored-json';

const IdTagInfoSchema = z.object({
  status: z.enum(['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx']),
  expiryDate: z.string().max(64).optional(),
  parentIdTag: z.string().max(20).optional(),
});
export type StoredIdTagInfo = z.output<typeof IdTagInfoSchema>;

const ListEntrySchema = z.object({ idTag: z.string().min(1).max(20), idTagInfo: IdTagInfoSchema.optional() });
const EntriesSchema = z.record(z.string(), IdTagInfoSchema);
export type LocalListEntry = z.output<typeof ListEntrySchema>;

/** A SendLocalList as the CSMS sent it. */
export const SendLocalListSchema = z.object({
  listVersion: z.number().int(),
  updateType: z.enum(['Differential', 'Full']),
  localAuthorizationList: z.array(ListEntrySchema).max(100_000).optional(),
});
export type SendLocalList = z.output<typeof SendLocalListSchema>;

export { IdTagInfoSchema };

export class SqliteUpstreamAuthorizationStore {
  private readonly readList;
  private readonly writeList;
  private readonly readCache;
  private readonly writeCache;

  constructor(private readonly db: StoreDatabase) {
    this.readList = db.prepare<[string], { version: number; entries: string }>(
      'SELECT version, entries FROM upstream_local_lists WHERE charger_id = ?',
    );
    this.writeList = db.prepare<[string, number, string]>(
      `INSERT INTO upstream_local_lists (charger_id, version, entries) VALUES (?, ?, ?)
       ON CONFLICT (charger_id) DO UPDATE SET version = excluded.version, entries = excluded.entries`,
    );
    this.readCache = db.prepare<[string], { id_tag_info: string; cached_at: number }>(
      'SELECT id_tag_info, cached_at FROM upstream_tag_cache WHERE id_tag = ?',
    );
    this.writeCache = db.prepare<[string, string, number]>(
      `INSERT INTO upstream_tag_cache (id_tag, id_tag_info, cached_at) VALUES (?, ?, ?)
       ON CONFLICT (id_tag) DO UPDATE SET id_tag_info = excluded.id_tag_info, cached_at = excluded.cached_at`,
    );
  }

  /** Applies a SendLocalList the charger accepted: a full list replaces, a differential one updates and removes. */
  applyLocalList(chargerId: string, list: SendLocalList): void {
    this.db.transaction(() => {
      const entries = list.updateType === 'Full' ? {} : this.entries(chargerId);
      for (const entry of list.localAuthorizationList ?? []) {
        if (entry.idTagInfo === undefined) delete entries[entry.idTag];
        else entries[entry.idTag] = entry.idTagInfo;
      }
      this.writeList.run(chargerId, list.listVersion, JSON.stringify(entries));
    })();
  }

  /** The list's version for `chargerId` (0: none mirrored). */
  localListVersion(chargerId: string): number {
    return this.readList.get(chargerId)?.version ?? 0;
  }

  /** The local list's entry for a tag. */
  localListEntry(chargerId: string, idTag: string): StoredIdTagInfo | undefined {
    return this.entries(chargerId)[idTag];
  }

  /** Keeps what the CSMS said about a tag. */
  cache(idTag: string, info: StoredIdTagInfo, at: number): void {
    this.writeCache.run(idTag, JSON.stringify(info), at);
  }

  /** What the CSMS last said about a tag, and when. */
  /** Forgets every tag the CSMS accepted (its ClearCache: the cache serves all the site's chargers). */
  clearCache(): void {
    this.db.prepare('DELETE FROM upstream_tag_cache').run();
  }

  cached(idTag: string): { readonly info: StoredIdTagInfo; readonly cachedAt: number } | undefined {
    const row = this.readCache.get(idTag);
    if (row === undefined) return undefined;
    const info = IdTagInfoSchema.safeParse(jsonOrUndefined(row.id_tag_info));
    return info.success ? { info: info.data, cachedAt: row.cached_at } : undefined;
  }

  private entries(chargerId: string): Record<string, StoredIdTagInfo> {
    const row = this.readList.get(chargerId);
    return (row && EntriesSchema.safeParse(jsonOrUndefined(row.entries)).data) ?? {};
  }
}
