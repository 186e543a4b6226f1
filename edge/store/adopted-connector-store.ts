/** Connectors adopted at run time, in SQLite: a restart controls them (and reserves their fail-safe) before they report again. */
import type { AdoptedConnector, AdoptedConnectorStore } from '../control/control-ports';
import type { StoreDatabase } from './store-database';

interface AdoptedRow {
  charger_id: string;
  connector_id: number;
  adopted_at: number;
}

export class SqliteAdoptedConnectorStore implements AdoptedConnectorStore {
  private readonly all;
  private readonly insert;
  private readonly remove;

  constructor(db: StoreDatabase) {
    this.all = db.prepare<[], AdoptedRow>(
      'SELECT * FROM adopted_connectors ORDER BY adopted_at, charger_id, connector_id',
    );
    this.insert = db.prepare<AdoptedConnector>(
      `INSERT INTO adopted_connectors (charger_id, connector_id, adopted_at) VALUES (@chargerId, @connectorId, @adoptedAt)
       ON CONFLICT (charger_id, connector_id) DO NOTHING`,
    );
    this.remove = db.prepare<[string, number]>(
      'DELETE FROM adopted_connectors WHERE charger_id = ? AND connector_id = ?',
    );
  }

  adoptedConnectors(): AdoptedConnector[] {
    return this.all
      .all()
      .map((row) => ({ chargerId: row.charger_id, connectorId: row.connector_id, adoptedAt: row.adopted_at }));
  }

  saveAdoptedConnector(connector: AdoptedConnector): void {
    this.insert.run(connector);
  }

  forgetAdoptedConnector(chargerId: string, connectorId: number): void {
    this.remove.run(chargerId, connectorId);
  }
}
