/**
 * The store's epochs (docs/cluster.md, "Merging the two gateways' records"): each opening of the store begins one, a
 * random id with the change sequence it began at. A store replaced by an older copy (a restored backup) lacks the
 * epochs begun after that copy was taken, and its sequence starts again from the copy's: the other gateway's cursor
 * then names an epoch this store never had, or a point past where this store's copy of that epoch ends, and the
 * exchange starts it again from the beginning instead of skipping the changes numbered below it. A restart keeps the
 * cursor good, so only a replaced store costs a full exchange.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PeerCursor } from '../cluster/transaction-merge';
import type Database from 'better-sqlite3';

/** Older epochs are forgotten: a cursor that names one starts again from the beginning, which is safe, only longer. */
const KEPT_EPOCHS = 100;

/** The store's database (store-database.ts opens it; named here so that the two do not import each other). */
type StoreDatabase = Database.Database;

const EpochsSchema = z.array(z.object({ id: z.string(), fromSeq: z.number().int().min(0) }).strict());
type Epochs = z.output<typeof EpochsSchema>;

function readEpochs(db: StoreDatabase): Epochs {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'storeEpochs'").get();
  return row === undefined ? [] : EpochsSchema.parse(JSON.parse(row.value));
}

/** The highest change sequence this store ever gave (AUTOINCREMENT keeps it even when the row is gone). */
export function changeHighWater(db: StoreDatabase): number {
  const row = db
    .prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'transaction_changes'")
    .get();
  return row?.seq ?? 0;
}

/** Begins a new epoch at the store's current sequence; called once each time the store is opened. */
export function beginStoreEpoch(db: StoreDatabase): void {
  db.transaction(() => {
    const epochs = [...readEpochs(db), { id: randomUUID(), fromSeq: changeHighWater(db) }].slice(-KEPT_EPOCHS);
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('storeEpochs', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(JSON.stringify(epochs));
  })();
}

/** The epoch in progress. */
export function currentEpoch(db: StoreDatabase): string {
  return readEpochs(db).at(-1)?.id ?? '';
}

/**
 * Where a page for the other gateway's cursor starts: the cursor itself when this store's history holds it (its epoch
 * is one of this store's and the sequence no further than this store's copy of that epoch went), else 0.
 */
export function resumeSeq(db: StoreDatabase, cursor: PeerCursor): number {
  const epochs = readEpochs(db);
  const index = epochs.findIndex((epoch) => epoch.id === cursor.epoch);
  if (index < 0) return 0;
  const end = epochs[index + 1]?.fromSeq ?? changeHighWater(db);
  return cursor.seq <= end ? cursor.seq : 0;
}
