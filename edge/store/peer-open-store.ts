/**
 * The other gateway's open transactions, as it offered them (docs/cluster.md, "Merging the two gateways' records"):
 * kept apart from this node's own, so that the site runtime never loads, controls nor closes one; the dashboard lists
 * them as the other gateway's, and each is dropped when its closed record comes (or the transaction turns up here).
 */
import type { TransactionRecord } from '../cluster/transaction-merge';
import type { StoreDatabase } from './store-database';

export class SqlitePeerOpenTransactions {
  private readonly upsert;
  private readonly remove;

  constructor(db: StoreDatabase) {
    // Only the energy moves once a transaction is open: a start does not change under its id.
    this.upsert = db.prepare(
      `INSERT INTO peer_open_transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh,
         start_received_at, start_time_source)
       VALUES (@id, @chargerId, @connectorId, @idTag, @startedAt, @meterStartWh, @energyWh, @receivedAt, @source)
       ON CONFLICT (id) DO UPDATE SET energy_wh = excluded.energy_wh WHERE energy_wh IS NOT excluded.energy_wh`,
    );
    this.remove = db.prepare<[number]>('DELETE FROM peer_open_transactions WHERE id = ?');
  }

  /** Keeps (or updates) the other node's open transaction; whether that changed anything. */
  keep(remote: TransactionRecord & { start: NonNullable<TransactionRecord['start']> }): boolean {
    const { start } = remote;
    return (
      this.upsert.run({
        id: remote.transactionId,
        ...start,
        idTag: start.idTag ?? null,
        energyWh: remote.meteredWh ?? 0,
      }).changes > 0
    );
  }

  drop(transactionId: number): void {
    this.remove.run(transactionId);
  }
}
