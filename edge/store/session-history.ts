/** The agent's charging sessions as stored, newest first: what the dashboard lists and exports as CSV. */
import type { SessionHistoryRow } from '../../shared/dashboard/api-answers';
import type { StoreDatabase } from './store-database';

interface Row {
  id: number;
  charger_id: string;
  connector_id: number;
  id_tag: string | null;
  started_at: number;
  stopped_at: number | null;
  energy_wh: number;
  other_gateway: 0 | 1;
}

export class SqliteSessionHistory {
  private readonly newest;

  constructor(db: StoreDatabase) {
    // The other gateway's open transactions (a site without a witness, peer-open-store.ts) are listed as its own.
    this.newest = db.prepare<[number], Row>(
      `SELECT id, charger_id, connector_id, id_tag, started_at, stopped_at, energy_wh, 0 AS other_gateway
         FROM transactions
       UNION ALL
       SELECT id, charger_id, connector_id, id_tag, started_at, NULL, energy_wh, 1 FROM peer_open_transactions
       ORDER BY started_at DESC, id DESC LIMIT ?`,
    );
  }

  /** The `limit` sessions that started last; energy of an open session as last saved (every `saveEnergyEverySeconds`). */
  recent(limit: number): SessionHistoryRow[] {
    return this.newest.all(limit).map((row) => ({
      transactionId: row.id,
      chargerId: row.charger_id,
      connectorId: row.connector_id,
      idTag: row.id_tag,
      startedAt: row.started_at,
      stoppedAt: row.stopped_at,
      energyWh: row.energy_wh,
      ...(row.other_gateway === 1 && { otherGateway: true }),
    }));
  }
}
