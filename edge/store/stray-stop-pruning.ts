/**
 * Stray stops do not stay for ever (docs/cluster.md, "Merging the two gateways' records"). A stray stop (a stop for a
 * transaction this store has no start of) is kept so that the other gateway, which has the start, can close its
 * transaction: once matched, the closed record comes back and replaces it. One that the other gateway has taken and
 * that is still here after the retention is one neither gateway has a start of (a transaction from before the site had
 * two gateways, or one a replaced store lost): the other gateway holds its own copy, and this one is dropped. A stray
 * stop the other gateway has not taken yet stays, however long the two are apart, since only it can end the other
 * gateway's transaction. The other gateway has taken every change up to the cursor it last asked from (a request is
 * only sent once the page before it is stored there).
 */
import type Database from 'better-sqlite3';

/** As long as the ledger keeps a closed transaction (ledger-pruning.ts): far longer than a round of the exchange. */
export const STRAY_STOP_RETENTION_MS = 15 * 60_000;

/** The store's database (named here so that store-database.ts can stay the only one to open it). */
type StoreDatabase = Database.Database;

export class StrayStopPruning {
  private readonly writeTaken;
  private readonly readTaken;
  private readonly prunable;
  private readonly dropPart;
  private readonly dropChange;

  constructor(private readonly db: StoreDatabase) {
    this.writeTaken = db.prepare<[string]>(
      "INSERT INTO meta (key, value) VALUES ('peerTakenSeq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    this.readTaken = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'peerTakenSeq'");
    this.prunable = db.prepare<[number, number], { id: number }>(
      `SELECT p.id FROM transaction_parts p JOIN transaction_changes c ON c.id = p.id
       WHERE c.seq <= ? AND p.stop_received_at < ?`,
    );
    this.dropPart = db.prepare<[number]>('DELETE FROM transaction_parts WHERE id = ?');
    this.dropChange = db.prepare<[number]>('DELETE FROM transaction_changes WHERE id = ?');
  }

  /** The other gateway asked from `seq`, a cursor of this store's history: it holds every change up to it. */
  taken(seq: number): void {
    this.writeTaken.run(String(seq));
  }

  /** Drops the stray stops the other gateway has taken that were received more than the retention before `now`. */
  prune(now: number, retentionMs = STRAY_STOP_RETENTION_MS): number {
    return this.db.transaction(() => {
      const taken = Number(this.readTaken.get()?.value ?? 0);
      const ids = this.prunable.all(taken, now - retentionMs).map((row) => row.id);
      for (const id of ids) {
        this.dropPart.run(id);
        this.dropChange.run(id);
      }
      return ids.length;
    })();
  }
}
