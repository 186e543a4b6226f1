/**
 * The forward log's bound per charger (docs/csms.md, "The backlog's bound"): beyond `maxQueuedMeterValues` queued
 * MeterValues, the oldest one that is neither the first nor the last queued of its transaction is dropped, in the
 * SQLite transaction that appended the new one. A transaction's start, stop, first and last meter values are never
 * dropped (the CSMS bills from them). Each drop is counted on disk (table `meta`, `upstreamThinned:<chargerId>`).
 */
import type { StoreDatabase } from './store-database';

/** The meta key of a charger's count of meter values the backlog's bound dropped. */
const thinnedKey = (chargerId: string) => `upstreamThinned:${chargerId}`;

export class UpstreamLogBound {
  private readonly countMeterValues;
  private readonly thinnable;
  private readonly remove;
  private readonly countThinned;
  private readonly thinnedOf;

  constructor(
    db: StoreDatabase,
    private readonly maxQueuedMeterValues: number,
  ) {
    this.countMeterValues = db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM upstream_log WHERE charger_id = ? AND state = 'queued' AND action = 'MeterValues'`,
    );
    // The oldest queued MeterValues with a queued one of the same transaction (or, outside a transaction, of none)
    // both before and after it.
    const sameTransaction = `o.charger_id = m.charger_id AND o.state = 'queued' AND o.action = 'MeterValues'
      AND json_extract(o.payload, '$.transactionId') IS json_extract(m.payload, '$.transactionId')`;
    this.thinnable = db.prepare<[string], { seq: number }>(
      `SELECT m.seq FROM upstream_log m WHERE m.charger_id = ? AND m.state = 'queued' AND m.action = 'MeterValues'
         AND EXISTS (SELECT 1 FROM upstream_log o WHERE ${sameTransaction} AND o.seq < m.seq)
         AND EXISTS (SELECT 1 FROM upstream_log o WHERE ${sameTransaction} AND o.seq > m.seq)
       ORDER BY m.seq LIMIT 1`,
    );
    this.remove = db.prepare<[number]>('DELETE FROM upstream_log WHERE seq = ?');
    this.countThinned = db.prepare<[string]>(
      `INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
    );
    this.thinnedOf = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  }

  /**
   * Called in the transaction that appended a MeterValues: drops the oldest thinnable one when the charger is over the
   * bound, and returns its sequence number (undefined when none was dropped).
   */
  thin(chargerId: string): number | undefined {
    if ((this.countMeterValues.get(chargerId)?.n ?? 0) <= this.maxQueuedMeterValues) return undefined;
    const seq = this.thinnable.get(chargerId)?.seq;
    if (seq === undefined) return undefined;
    this.remove.run(seq);
    this.countThinned.run(thinnedKey(chargerId));
    return seq;
  }

  /** How many of the charger's meter values the bound dropped, since the database was made. */
  thinned(chargerId: string): number {
    return Number(this.thinnedOf.get(thinnedKey(chargerId))?.value ?? 0);
  }
}
