/** Transactions in SQLite: open sessions and their energy (their ids come from transaction-id-blocks.ts). */
import type { SessionRecord, SessionStore } from '../control/control-ports';
import type { StoreDatabase } from './store-database';

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
  private readonly insert;
  private readonly stop;
  private readonly energy;

  constructor(private readonly db: StoreDatabase) {
    this.open = db.prepare<[], SessionRow>('SELECT * FROM transactions WHERE stopped_at IS NULL ORDER BY id');
    this.insert = db.prepare<Omit<SessionRecord, 'idTag'> & { idTag: string | null }>(
      `INSERT INTO transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh)
       VALUES (@transactionId, @chargerId, @connectorId, @idTag, @startedAt, @meterStartWh, @energyWh)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.stop = db.prepare<{ transactionId: number; stoppedAt: number; meterStopWh: number; reason: string }>(
      `UPDATE transactions SET stopped_at = @stoppedAt, meter_stop_wh = @meterStopWh, stop_reason = @reason,
         energy_wh = max(0, @meterStopWh - meter_start_wh) WHERE id = @transactionId AND stopped_at IS NULL`,
    );
    this.energy = db.prepare<{ transactionId: number; energyWh: number }>('UPDATE transactions SET energy_wh = @energyWh WHERE id = @transactionId');
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

  startSession(session: SessionRecord): void {
    this.insert.run({ ...session, idTag: session.idTag ?? null });
  }

  /** The first stop wins: a charger retrying a StopTransaction whose answer it lost changes nothing. */
  stopSession(stop: { transactionId: number; stoppedAt: number; meterStopWh: number; reason: string }): void {
    this.stop.run(stop);
  }

  saveEnergy(updates: readonly { transactionId: number; energyWh: number }[]): void {
    if (updates.length === 0) return;
    this.db.transaction(() => {
      for (const update of updates) this.energy.run(update);
    })();
  }
}
