/**
 * Port: which site messages the cloud has already stored, by the edge's message id. The stored rows are keyed by
 * message identity too (so a replay overwrites rather than duplicates); the ledger is what lets ingest tell a replay
 * from a new message, count it, and keep an old session state from overwriting a newer one.
 */

export interface MessageLedger {
  /** The ids among `messageIds` that were already recorded for the site. */
  seen(tenantId: string, siteId: string, messageIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Records the ids as stored (after their rows were written); `now` is epoch ms, the entries expire after the retention. */
  record(tenantId: string, siteId: string, messageIds: readonly string[], now: number): Promise<void>;
}
