/** The agent's SQLite database: one file in the data directory, schema migrations by `user_version`. */
import Database from 'better-sqlite3';
import { openSqliteFile } from './sqlite-file';
import { beginStoreEpoch } from './store-epochs';
import { UnsyncedWrites } from './unsynced-writes';

/** The store's connection (`synchronous = FULL`), with the second one its unsynced writes go through, closed with it. */
export class StoreDatabase extends Database {
  #unsynced: UnsyncedWrites | undefined;

  /** Opened when a store first prepares such a write: after the migrations, and not at all for a read-only use. */
  get unsynced(): UnsyncedWrites {
    this.#unsynced ??= new UnsyncedWrites(this);
    return this.#unsynced;
  }

  override close(): this {
    this.#unsynced?.close();
    return super.close();
  }
}

export const DATABASE_FILE = 'ampshare.sqlite';

/** The schema, one step per `user_version`; exported for the test that migrates an old database. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE chargers (
     id TEXT PRIMARY KEY, password_hash TEXT, vendor TEXT, model TEXT, first_seen_at INTEGER, last_boot_at INTEGER);
   CREATE TABLE transactions (
     id INTEGER PRIMARY KEY, charger_id TEXT NOT NULL, connector_id INTEGER NOT NULL, id_tag TEXT, started_at INTEGER NOT NULL,
     meter_start_wh REAL NOT NULL, energy_wh REAL NOT NULL DEFAULT 0, stopped_at INTEGER, meter_stop_wh REAL, stop_reason TEXT);
   CREATE INDEX transactions_open ON transactions (stopped_at) WHERE stopped_at IS NULL;
   CREATE TABLE applied_limits (
     charger_id TEXT NOT NULL, connector_id INTEGER NOT NULL, transaction_id INTEGER NOT NULL, amps REAL NOT NULL,
     phases INTEGER NOT NULL, accepted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (charger_id, connector_id));`,
  // The dashboard: its admin password, and what an installer set per charger (firmware comes with the boot).
  `CREATE TABLE dashboard_admin (id INTEGER PRIMARY KEY CHECK (id = 1), password_hash TEXT NOT NULL, changed_at INTEGER NOT NULL);
   ALTER TABLE chargers ADD COLUMN firmware TEXT;
   ALTER TABLE chargers ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE chargers ADD COLUMN password_set_at INTEGER;
   ALTER TABLE chargers ADD COLUMN password_basis TEXT;`,
  // Connectors a listed charger reported that the site file does not list, adopted at run time.
  `CREATE TABLE adopted_connectors (
     charger_id TEXT NOT NULL, connector_id INTEGER NOT NULL, adopted_at INTEGER NOT NULL, PRIMARY KEY (charger_id, connector_id));`,
  // The charger's own times (a transaction queued offline happened before it arrived): started_at and stopped_at become
  // the charger's times, with the times of receipt beside them and where each came from (edge/ocpp/charger-clock.ts);
  // energy_at is the charger's time of the last energy reading. Rows from before keep their times, which were times of
  // receipt, with no source (NULL: unknown).
  `ALTER TABLE transactions ADD COLUMN start_received_at INTEGER;
   ALTER TABLE transactions ADD COLUMN start_time_source TEXT;
   ALTER TABLE transactions ADD COLUMN stop_received_at INTEGER;
   ALTER TABLE transactions ADD COLUMN stop_time_source TEXT;
   ALTER TABLE transactions ADD COLUMN energy_at INTEGER;
   UPDATE transactions SET start_received_at = started_at, stop_received_at = stopped_at;`,
  // The policy in force as one record (edge/control/policy-in-force.ts): the policy, where it came from, the cloud
  // version it is or was based on, when it was applied, and the site file's policy it replaced (basis). The source and
  // version were kept by the sync in outbox.sqlite; rows from before take them as 'config' when the policy is the
  // basis, else 'local', version 0.
  `CREATE TABLE policy_in_force (
     id INTEGER PRIMARY KEY CHECK (id = 1), policy TEXT, basis TEXT, source TEXT NOT NULL DEFAULT 'config',
     version INTEGER NOT NULL DEFAULT 0, applied_at INTEGER NOT NULL DEFAULT 0);
   INSERT INTO policy_in_force (id, policy, basis, source)
     SELECT 1, p.value, b.value, CASE WHEN p.value = b.value THEN 'config' ELSE 'local' END
     FROM meta p LEFT JOIN meta b ON b.key = 'policyBasis' WHERE p.key = 'policy';
   DELETE FROM meta WHERE key IN ('policy', 'policyBasis');`,
  // In front of an operator's CSMS (edge/upstream, docs/csms.md): the store-and-forward log of each charger's
  // transaction messages, the provisional transaction ids handed out while the CSMS was out of reach and the real ids
  // it gave them, what the CSMS has to be told again on its return (the last boot, the latest status per connector),
  // and its authorisation data (the local list it sent each charger, the tags it accepted).
  `CREATE TABLE upstream_log (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, charger_id TEXT NOT NULL, action TEXT NOT NULL, payload TEXT NOT NULL,
     queued_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'queued');
   CREATE INDEX upstream_log_queued ON upstream_log (charger_id, seq) WHERE state = 'queued';
   CREATE TABLE upstream_transactions (
     provisional_id INTEGER PRIMARY KEY, charger_id TEXT NOT NULL, start_seq INTEGER NOT NULL, start_payload TEXT NOT NULL,
     real_id INTEGER, charger_knows TEXT);
   CREATE UNIQUE INDEX upstream_transactions_start ON upstream_transactions (charger_id, start_payload);
   CREATE TABLE upstream_chargers (
     charger_id TEXT PRIMARY KEY, boot TEXT, statuses TEXT NOT NULL DEFAULT '{}', resync INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE upstream_local_lists (charger_id TEXT PRIMARY KEY, version INTEGER NOT NULL, entries TEXT NOT NULL);
   CREATE TABLE upstream_tag_cache (id_tag TEXT PRIMARY KEY, id_tag_info TEXT NOT NULL, cached_at INTEGER NOT NULL);`,
  // The CSMS's own TxProfiles and TxDefaultProfiles (and its ChargePointMaxProfiles), kept as it sent them, per charger,
  // so that a restart goes on capping leases by them (edge/upstream/csms-limits.ts).
  `CREATE TABLE upstream_csms_profiles (charger_id TEXT PRIMARY KEY, requests TEXT NOT NULL);`,
  // The site as versioned data (edge/store/site-version-store.ts): every version saved, who saved it and when, and the
  // site file's site it was last imported from (site_file_basis); and the chargers with identities the site does not
  // list that tried to connect (edge/store/unknown-charger-store.ts), for adoption on the dashboard.
  `CREATE TABLE site_versions (
     version INTEGER PRIMARY KEY, site TEXT NOT NULL, author TEXT NOT NULL, source TEXT NOT NULL, saved_at INTEGER NOT NULL);
   CREATE TABLE site_file_basis (id INTEGER PRIMARY KEY CHECK (id = 1), site TEXT NOT NULL);
   CREATE TABLE unknown_chargers (
     identity TEXT PRIMARY KEY, remote_address TEXT, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL, held INTEGER NOT NULL DEFAULT 0, vendor TEXT, model TEXT, firmware TEXT);`,
  // The site's meters (the site file's meters[]) become part of each site version and of the site file's basis. Rows
  // from before keep NULL: saved while the meters in force were the site file's (edge/config/site-bootstrap.ts).
  `ALTER TABLE site_versions ADD COLUMN meters TEXT;
   ALTER TABLE site_file_basis ADD COLUMN meters TEXT;`,
  // The transaction messages the CSMS acknowledged lately, by digest, with its answer: a charger's repeat of one is
  // answered and not sent again (edge/store/upstream-delivered-store.ts).
  `CREATE TABLE upstream_delivered (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, charger_id TEXT NOT NULL, action TEXT NOT NULL, digest TEXT NOT NULL,
     answer TEXT NOT NULL);
   CREATE UNIQUE INDEX upstream_delivered_message ON upstream_delivered (charger_id, action, digest);
   CREATE INDEX upstream_delivered_charger ON upstream_delivered (charger_id, seq);`,
  // A transaction id may come back: ids the agent handed out itself before an operator's CSMS was put in front, and the
  // CSMS's own, share one range (docs/csms.md, "Session records"). A session gets a row of its own (column row); only open
  // sessions are unique by transaction id, and writes go to the latest session under an id.
  `CREATE TABLE transactions_by_row (
     row INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER NOT NULL, charger_id TEXT NOT NULL, connector_id INTEGER NOT NULL,
     id_tag TEXT, started_at INTEGER NOT NULL, meter_start_wh REAL NOT NULL, energy_wh REAL NOT NULL DEFAULT 0,
     stopped_at INTEGER, meter_stop_wh REAL, stop_reason TEXT, start_received_at INTEGER, start_time_source TEXT,
     stop_received_at INTEGER, stop_time_source TEXT, energy_at INTEGER);
   INSERT INTO transactions_by_row (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh,
     stopped_at, meter_stop_wh, stop_reason, start_received_at, start_time_source, stop_received_at, stop_time_source,
     energy_at)
     SELECT id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh, stopped_at, meter_stop_wh,
       stop_reason, start_received_at, start_time_source, stop_received_at, stop_time_source, energy_at
     FROM transactions ORDER BY id;
   DROP TABLE transactions;
   ALTER TABLE transactions_by_row RENAME TO transactions;
   CREATE INDEX transactions_id ON transactions (id);
   CREATE UNIQUE INDEX transactions_open ON transactions (id) WHERE stopped_at IS NULL;`,
  // Two gateways without a witness exchange their closed transactions (edge/store/transaction-exchange-store.ts):
  // transaction_parts keeps a stop for a transaction this store has no start of (the charger moved from the other
  // gateway), and transaction_changes orders every closed transaction and part by when it last changed, one row per id,
  // so the other gateway asks only for what changed since its last exchange. The triggers keep it; the closed
  // transactions stored before go in first.
  `CREATE TABLE transaction_parts (
     id INTEGER PRIMARY KEY, stopped_at INTEGER NOT NULL, meter_stop_wh REAL NOT NULL, stop_reason TEXT NOT NULL,
     stop_received_at INTEGER NOT NULL, stop_time_source TEXT);
   CREATE TABLE transaction_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER NOT NULL UNIQUE);
   INSERT INTO transaction_changes (id) SELECT id FROM transactions WHERE stopped_at IS NOT NULL GROUP BY id ORDER BY max(row);
   CREATE TRIGGER transactions_closed_insert AFTER INSERT ON transactions WHEN NEW.stopped_at IS NOT NULL
     BEGIN INSERT OR REPLACE INTO transaction_changes (id) VALUES (NEW.id); END;
   CREATE TRIGGER transactions_closed_update AFTER UPDATE OF stopped_at ON transactions WHEN NEW.stopped_at IS NOT NULL
     BEGIN INSERT OR REPLACE INTO transaction_changes (id) VALUES (NEW.id); END;
   CREATE TRIGGER transaction_parts_insert AFTER INSERT ON transaction_parts
     BEGIN INSERT OR REPLACE INTO transaction_changes (id) VALUES (NEW.id); END;
   CREATE TRIGGER transaction_parts_update AFTER UPDATE ON transaction_parts
     BEGIN INSERT OR REPLACE INTO transaction_changes (id) VALUES (NEW.id); END;`,
  // The two gateways exchange their open transactions too: a start and each energy saved while open count as changes,
  // and the other gateway's open ones are kept apart from this node's (peer_open_transactions), read-only: listed on
  // the dashboard, never loaded into the site runtime, dropped when the closed record comes.
  `CREATE TABLE peer_open_transactions (
     id INTEGER PRIMARY KEY, charger_id TEXT NOT NULL, connector_id INTEGER NOT NULL, id_tag TEXT,
     started_at INTEGER NOT NULL, meter_start_wh REAL NOT NULL, energy_wh REAL NOT NULL, start_received_at INTEGER NOT NULL,
     start_time_source TEXT);
   INSERT INTO transaction_changes (id) SELECT id FROM transactions WHERE stopped_at IS NULL ORDER BY row;
   CREATE TRIGGER transactions_open_insert AFTER INSERT ON transactions WHEN NEW.stopped_at IS NULL
     BEGIN INSERT OR REPLACE INTO transaction_changes (id) VALUES (NEW.id); END;
   CREATE TRIGGER transactions_open_energy AFTER UPDATE OF energy_wh ON transactions
     WHEN NEW.stopped_at IS NULL AND NEW.energy_wh IS NOT OLD.energy_wh
     BEGIN INSERT OR REPLACE INTO transaction_changes (id) VALUES (NEW.id); END;`,
];

/** Opens (and creates or migrates) the database in `dataDir`; `:memory:` is not used so that restarts are real. */
export function openStoreDatabase(dataDir: string): StoreDatabase {
  // FULL: transaction ids must never repeat after a power cut, so every commit reaches the disk.
  const db = openSqliteFile(
    dataDir,
    DATABASE_FILE,
    { synchronous: 'FULL', foreignKeys: true, migrations: MIGRATIONS },
    (file) => new StoreDatabase(file),
  );
  // Each opening is an epoch, so that the other gateway of a two-gateway site sees when this store was replaced.
  beginStoreEpoch(db);
  return db;
}
