/**
 * What the CSMS has to be told again when it returns after missing some of a charger's messages: the charger's last
 * BootNotification and its latest StatusNotification per connector (fresh state, not the stale backlog), and whether
 * it missed any (docs/csms.md, "When the CSMS is back").
 */
import { z } from 'zod';
import type { StoreDatabase } from './store-database';
import { jsonOrUndefined } from './stored-json';

const PayloadSchema = z.record(z.string(), z.unknown());
const StatusesSchema = z.record(z.string().regex(/^\d{1,4}$/), PayloadSchema);

export interface ResyncState {
  readonly boot: Record<string, unknown> | undefined;
  /** The latest StatusNotification per connector, by connector id. */
  readonly statuses: readonly Record<string, unknown>[];
  /** True when the CSMS missed a boot or a status since it last heard from this charger. */
  readonly needed: boolean;
}

/** More connectors than any charger has: a status beyond this is not kept for the resync. */
const MAX_CONNECTOR_ID = 9999;

export class SqliteUpstreamResyncStore {
  private readonly ensure;
  private readonly read;
  private readonly readNeeded;
  private readonly writeBoot;
  private readonly writeStatuses;
  private readonly writeNeeded;

  constructor(private readonly db: StoreDatabase) {
    this.ensure = db.prepare<[string]>('INSERT INTO upstream_chargers (charger_id) VALUES (?) ON CONFLICT DO NOTHING');
    this.read = db.prepare<[string], { boot: string | null; statuses: string; resync: number }>(
      'SELECT boot, statuses, resync FROM upstream_chargers WHERE charger_id = ?',
    );
    this.readNeeded = db.prepare<[string], { resync: number }>(
      'SELECT resync FROM upstream_chargers WHERE charger_id = ?',
    );
    this.writeBoot = db.prepare<[string, string]>('UPDATE upstream_chargers SET boot = ? WHERE charger_id = ?');
    this.writeStatuses = db.prepare<[string, string]>('UPDATE upstream_chargers SET statuses = ? WHERE charger_id = ?');
    this.writeNeeded = db.prepare<[number, string]>('UPDATE upstream_chargers SET resync = ? WHERE charger_id = ?');
  }

  /** Whether the CSMS must be told the charger's boot and statuses again (without reading them: the drain asks often). */
  needed(chargerId: string): boolean {
    return this.readNeeded.get(chargerId)?.resync === 1;
  }

  state(chargerId: string): ResyncState {
    const row = this.read.get(chargerId);
    if (row === undefined) return { boot: undefined, statuses: [], needed: false };
    const boot = row.boot === null ? undefined : PayloadSchema.safeParse(jsonOrUndefined(row.boot)).data;
    const statuses = StatusesSchema.safeParse(jsonOrUndefined(row.statuses)).data ?? {};
    const ordered = Object.entries(statuses).sort(([a], [b]) => Number(a) - Number(b));
    return { boot, statuses: ordered.map(([, status]) => status), needed: row.resync === 1 };
  }

  /** Keeps the charger's BootNotification; `missed`: the CSMS did not get it. */
  saveBoot(chargerId: string, payload: object, missed: boolean): void {
    this.db.transaction(() => {
      this.ensure.run(chargerId);
      this.writeBoot.run(JSON.stringify(payload), chargerId);
      if (missed) this.writeNeeded.run(1, chargerId);
    })();
  }

  /** Keeps the charger's latest StatusNotification for its connector; `missed`: the CSMS did not get it. */
  saveStatus(chargerId: string, payload: { readonly connectorId: number }, missed: boolean): void {
    if (payload.connectorId > MAX_CONNECTOR_ID) return;
    this.db.transaction(() => {
      this.ensure.run(chargerId);
      const row = this.read.get(chargerId);
      const statuses = StatusesSchema.safeParse(jsonOrUndefined(row?.statuses ?? '{}')).data ?? {};
      statuses[String(payload.connectorId)] = { ...payload };
      this.writeStatuses.run(JSON.stringify(statuses), chargerId);
      if (missed) this.writeNeeded.run(1, chargerId);
    })();
  }

  /** Some message was answered by the agent instead of the CSMS. */
  markNeeded(chargerId: string): void {
    this.db.transaction(() => {
      this.ensure.run(chargerId);
      this.writeNeeded.run(1, chargerId);
    })();
  }

  /** The CSMS has been told the boot and the statuses again. */
  done(chargerId: string): void {
    this.writeNeeded.run(0, chargerId);
  }
}
