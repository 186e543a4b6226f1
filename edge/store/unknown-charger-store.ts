/**
 * Chargers with identities the site does not list that tried to connect, for adoption on the dashboard: when and from
 * where (refused at the handshake or held as Pending), and what they said in their BootNotification when held. Kept
 * bounded: a flood of made-up identities replaces the oldest entries, it never grows the table.
 */
import type { ChargerDirectory, ChargerEventListener } from '../ocpp/central-system-ports';
import type { StoreDatabase } from './store-database';

/** The entries kept; the least recently seen go first. */
export const MAX_UNKNOWN_CHARGERS = 200;

export interface UnknownCharger {
  readonly identity: string;
  readonly remoteAddress: string | undefined;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly attempts: number;
  /** True when its last connection was taken and answered Pending (not refused at the handshake). */
  readonly held: boolean;
  readonly vendor: string | undefined;
  readonly model: string | undefined;
  readonly firmware: string | undefined;
}

interface UnknownRow {
  identity: string;
  remote_address: string | null;
  first_at: number;
  last_at: number;
  attempts: number;
  held: number;
  vendor: string | null;
  model: string | null;
  firmware: string | null;
}

export class SqliteUnknownChargerStore {
  private readonly upsertAttempt;
  private readonly updateBoot;
  private readonly all;
  private readonly one;
  private readonly remove;
  private readonly trim;

  constructor(db: StoreDatabase) {
    this.upsertAttempt = db.prepare<{ identity: string; address: string | null; at: number; held: number }>(
      `INSERT INTO unknown_chargers (identity, remote_address, first_at, last_at, attempts, held)
       VALUES (@identity, @address, @at, @at, 1, @held)
       ON CONFLICT (identity) DO UPDATE SET remote_address = excluded.remote_address, last_at = excluded.last_at,
         attempts = unknown_chargers.attempts + 1, held = excluded.held`,
    );
    this.updateBoot = db.prepare<{ identity: string; vendor: string; model: string; firmware: string | null }>(
      'UPDATE unknown_chargers SET vendor = @vendor, model = @model, firmware = @firmware WHERE identity = @identity',
    );
    this.all = db.prepare<[], UnknownRow>('SELECT * FROM unknown_chargers ORDER BY last_at DESC, identity');
    this.one = db.prepare<[string], UnknownRow>('SELECT * FROM unknown_chargers WHERE identity = ?');
    this.remove = db.prepare<[string]>('DELETE FROM unknown_chargers WHERE identity = ?');
    this.trim = db.prepare<[number]>(
      `DELETE FROM unknown_chargers WHERE identity NOT IN
         (SELECT identity FROM unknown_chargers ORDER BY last_at DESC, identity LIMIT ?)`,
    );
  }

  /** An attempt to connect: refused at the handshake (`held` false) or taken and answered Pending. */
  recordAttempt(attempt: { identity: string; remoteAddress: string | undefined; at: number; held: boolean }): void {
    this.upsertAttempt.run({
      identity: attempt.identity,
      address: attempt.remoteAddress ?? null,
      at: attempt.at,
      held: attempt.held ? 1 : 0,
    });
    this.trim.run(MAX_UNKNOWN_CHARGERS);
  }

  /** What a held charger said in its BootNotification. */
  recordBoot(identity: string, boot: { vendor: string; model: string; firmwareVersion: string | undefined }): void {
    this.updateBoot.run({ identity, vendor: boot.vendor, model: boot.model, firmware: boot.firmwareVersion ?? null });
  }

  list(): UnknownCharger[] {
    return this.all.all().map(toUnknown);
  }

  find(identity: string): UnknownCharger | undefined {
    const row = this.one.get(identity);
    return row && toUnknown(row);
  }

  /** Forgets an identity once it is adopted. */
  forget(identity: string): void {
    this.remove.run(identity);
  }
}

function toUnknown(row: UnknownRow): UnknownCharger {
  return {
    identity: row.identity,
    remoteAddress: row.remote_address ?? undefined,
    firstAt: row.first_at,
    lastAt: row.last_at,
    attempts: row.attempts,
    held: row.held === 1,
    vendor: row.vendor ?? undefined,
    model: row.model ?? undefined,
    firmware: row.firmware ?? undefined,
  };
}

/** Records what an unknown (held) charger says in its BootNotification; a full disk only loses the record. */
export function recordUnknownBoots(
  store: SqliteUnknownChargerStore,
  directory: ChargerDirectory,
  log: { warn(data: object, message: string): void },
): ChargerEventListener {
  return {
    onEvent(event) {
      if (event.type !== 'booted' || directory.find(event.chargerId) !== undefined) return;
      try {
        store.recordBoot(event.chargerId, event);
      } catch (error) {
        log.warn({ err: error, chargerId: event.chargerId }, 'unknown charger boot not stored');
      }
    },
  };
}
