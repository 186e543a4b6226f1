/** Transactions in SQLite: open sessions and their energy, with the charger's times and when each arrived (their ids come from transaction-id-blocks.ts). */
import type { EnergyUpdate, SessionRecord, SessionStop, SessionStore, TimeReceipt } from '../control/control-ports';
import type { StoreDatabase } from './store-database';
import { SqliteTransactionExchange } from './transaction-exchange-store';

interface SessionRow {
  id: number;
  charger_id: string;
  connector_id: number;
  id_tag: string | null;
  started_at: number;
  meter_start_wh: number;
  energy_wh: number;
}

export class SqliteSessionStore implements SessionStore {
  private readonly open;
  private readonly known;
  private readonly insert;
  private readonly stop;
  private readonly energy;
  private readonly exchange;

  constructor(private readonly db: StoreDatabase) {
    this.exchange = new SqliteTransactionExchange(db);
    this.open = db.prepare<[], SessionRow>('SELECT * FROM transactions WHERE stopped_at IS NULL ORDER BY id');
    this.known = db.prepare<[number], { id: number }>('SELECT id FROM transactions WHERE id = ? LIMIT 1');
    this.insert = db.prepare<
      Omit<SessionRecord, 'idTag'> & { idTag: string | null; receivedAt: number; source: string }
    >(
      `INSERT INTO transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh, start_received_at, start_time_source)
       VALUES (@transactionId, @chargerId, @connectorId, @idTag, @startedAt, @meterStartWh, @energyWh, @receivedAt, @source)
       ON CONFLICT (id) WHERE stopped_at IS NULL DO NOTHING`,
    );
    this.stop = db.prepare<SessionStop & TimeReceipt>(
      `UPDATE transactions SET stopped_at = @stoppedAt, meter_stop_wh = @meterStopWh, stop_reason = @reason,
         energy_wh = max(0, @meterStopWh - meter_start_wh), stop_received_at = @receivedAt, stop_time_source = @source
       WHERE id = @transactionId AND stopped_at IS NULL`,
    );
    this.energy = db.prepare<{ transactionId: number; energyWh: number; energyAt: number | null }>(
      `UPDATE transactions SET energy_wh = @energyWh, energy_at = coalesce(@energyAt, energy_at)
       WHERE row = (SELECT max(row) FROM transactions WHERE id = @transactionId)`,
    );
  }

  openSessions(): SessionRecord[] {
    return this.open.all().map((row) => ({
      transactionId: row.id,
      chargerId: row.charger_id,
      connectorId: row.connector_id,
      idTag: row.id_tag ?? undefined,
      startedAt: row.started_at,
      meterStartWh: row.meter_start_wh,
      energyWh: row.energy_wh,
    }));
  }

  startSession(session: SessionRecord, received: TimeReceipt): void {
    this.insert.run({ ...session, idTag: session.idTag ?? null, ...received });
  }

  /**
   * A session started and stopped elsewhere (another master, edge/cluster/transaction-adoption.ts), stored whole in
   * one write so that no crash leaves it open here; false, changing nothing, when this store has the transaction.
   */
  recordClosedSession(session: SessionRecord, started: TimeReceipt, stop: SessionStop, stopped: TimeReceipt): boolean {
    return this.db.transaction(() => {
      // Only open sessions are unique by id (a CSMS may reuse one), so a closed copy is looked for first.
      if (this.known.get(session.transactionId) !== undefined) return false;
      if (this.insert.run({ ...session, idTag: session.idTag ?? null, ...started }).changes === 0) return false;
      this.stop.run({ ...stop, ...stopped });
      return true;
    })();
  }

  /**
   * The first stop wins: a charger retrying a StopTransaction whose answer it lost changes nothing. A stop for a
   * transaction this store never had (started on the other gateway of a two-gateway site) is kept for the merge.
   */
  stopSession(stop: SessionStop, received: TimeReceipt): void {
    this.db.transaction(() => {
      if (this.stop.run({ ...stop, ...received }).changes > 0) return;
      if (this.known.get(stop.transactionId) === undefined) this.exchange.keepStrayStop(stop, received);
    })();
  }

  saveEnergy(updates: readonly EnergyUpdate[]): void {
    if (updates.length === 0) return;
    this.db.transaction(() => {
      for (const update of updates) this.energy.run({ ...update, energyAt: update.energyAt ?? null });
    })();
  }
}
