/**
 * The store-and-forward log of each charger's transaction messages to its CSMS, with the provisional transaction ids
 * and the real ids the CSMS gave them (docs/csms.md). Every write is one SQLite transaction (a savepoint when the
 * agent groups it with others, `upstream-group-commit.ts`), committed before the charger is answered, so an agent
 * restart loses nothing and hands out no provisional id twice.
 *
 * Provisional ids count down from -2 (-1 is what many chargers use for "no transaction"): a CSMS hands out positive
 * ids, so the two ranges never meet, and a charger's id alone tells whether it is provisional. The counter is the
 * lowest id handed out, and never starts above an id a session or a mapping already holds.
 */
import { z } from 'zod';
import type { StoreDatabase } from './store-database';
import type { SetAsideReason } from './upstream-set-aside-store';
import { jsonOrUndefined } from './stored-json';
import { UpstreamLogBound } from './upstream-log-bound';
import {
  FIRST_PROVISIONAL_ID,
  LOWEST_PROVISIONAL_ID,
  type ProvisionalMapping,
  QUEUED_ACTIONS,
  type QueuedAction,
  type QueuedMessage,
  type QueuedStart,
} from './upstream-log-records';
import type { UpstreamLogChanges } from './upstream-log-changes';

const PayloadSchema = z.record(z.string(), z.unknown());

interface LogRow {
  seq: number;
  action: string;
  payload: string;
  queued_at: number;
}

interface StartRow {
  provisional_id: number;
  start_seq: number;
  real_id: number | null;
  charger_knows: string | null;
}

export class SqliteUpstreamForwardLog {
  private readonly insert;
  private readonly queuedSame;
  private readonly head;
  private readonly remove;
  private readonly markParked;
  private readonly nextProvisional;
  private readonly insertStart;
  private readonly startByPayload;
  private readonly setRealId;
  private readonly setKnows;
  private readonly realOf;
  private readonly provisionalOf;
  private readonly dropMapping;
  private readonly startsNamed;
  private readonly count;
  private readonly chargersQueued;
  private readonly mappingsOf;
  private readonly mappingRow;
  private readonly startAt;
  private readonly bound: UpstreamLogBound;

  /**
   * `maxQueuedMeterValues`: per charger; beyond it the oldest thinnable MeterValues goes (`append`), and `onThinned`
   * hears of it (the count is kept on disk as well, `thinned`).
   */
  constructor(
    private readonly db: StoreDatabase,
    maxQueuedMeterValues: number,
    private readonly onThinned: (chargerId: string) => void = () => undefined,
    /** Where each change is noted for a cluster master's ledger (upstream-log-changes.ts); none on a single agent. */
    private readonly changes?: UpstreamLogChanges,
  ) {
    this.bound = new UpstreamLogBound(db, maxQueuedMeterValues);
    this.insert = db.prepare<[string, string, string, number]>(
      'INSERT INTO upstream_log (charger_id, action, payload, queued_at) VALUES (?, ?, ?, ?)',
    );
    this.queuedSame = db.prepare<[string, string, string], { seq: number }>(
      `SELECT seq FROM upstream_log WHERE charger_id = ? AND state = 'queued' AND action = ? AND payload = ? ORDER BY seq LIMIT 1`,
    );
    this.head = db.prepare<[string], LogRow>(
      `SELECT seq, action, payload, queued_at FROM upstream_log WHERE charger_id = ? AND state = 'queued' ORDER BY seq LIMIT 1`,
    );
    this.remove = db.prepare<[number]>('DELETE FROM upstream_log WHERE seq = ?');
    this.markParked = db.prepare<[string, number]>('UPDATE upstream_log SET state = ? WHERE seq = ?');
    this.nextProvisional = db.prepare<[number], { value: string }>(
      `INSERT INTO meta (key, value) VALUES ('upstreamProvisionalId', min(?, coalesce((SELECT min(id) FROM transactions), 0) - 1))
       ON CONFLICT (key) DO UPDATE SET value = min(CAST(value AS INTEGER), coalesce((SELECT min(id) FROM transactions), 0),
         coalesce((SELECT min(provisional_id) FROM upstream_transactions), 0)) - 1
       RETURNING value`,
    );
    this.insertStart = db.prepare<[number, string, number, string]>(
      'INSERT INTO upstream_transactions (provisional_id, charger_id, start_seq, start_payload) VALUES (?, ?, ?, ?)',
    );
    this.startByPayload = db.prepare<[string, string], StartRow>(
      'SELECT provisional_id, start_seq, real_id, charger_knows FROM upstream_transactions WHERE charger_id = ? AND start_payload = ?',
    );
    this.setRealId = db.prepare<[number, number]>('UPDATE upstream_transactions SET real_id = ? WHERE start_seq = ?');
    this.setKnows = db.prepare<[string, number]>(
      'UPDATE upstream_transactions SET charger_knows = ? WHERE provisional_id = ?',
    );
    this.realOf = db.prepare<[string, number], { real_id: number | null }>(
      'SELECT real_id FROM upstream_transactions WHERE charger_id = ? AND provisional_id = ?',
    );
    this.provisionalOf = db.prepare<[string, number], { provisional_id: number }>(
      `SELECT provisional_id FROM upstream_transactions WHERE charger_id = ? AND real_id = ? AND charger_knows = 'provisional'`,
    );
    this.dropMapping = db.prepare<[string, number, number]>(
      'DELETE FROM upstream_transactions WHERE charger_id = ? AND (provisional_id = ? OR real_id = ?)',
    );
    this.startsNamed = db.prepare<[string, number, number], StartRow & { start_payload: string }>(
      `SELECT provisional_id, start_seq, real_id, charger_knows, start_payload FROM upstream_transactions
       WHERE charger_id = ? AND (provisional_id = ? OR real_id = ?)`,
    );
    this.count = db.prepare<[string], { n: number; oldest: number | null }>(
      `SELECT count(*) AS n, min(queued_at) AS oldest FROM upstream_log WHERE charger_id = ? AND state = 'queued'`,
    );
    this.chargersQueued = db.prepare<[], { charger_id: string }>(
      `SELECT DISTINCT charger_id FROM upstream_log WHERE state = 'queued' ORDER BY charger_id`,
    );
    this.mappingRow = db.prepare<[number], StartRow & { charger_id: string; start_payload: string }>(
      `SELECT charger_id, provisional_id, start_seq, real_id, charger_knows, start_payload FROM upstream_transactions
       WHERE provisional_id = ?`,
    );
    this.startAt = db.prepare<[number], { provisional_id: number }>(
      'SELECT provisional_id FROM upstream_transactions WHERE start_seq = ?',
    );
    this.mappingsOf = db.prepare<[string], { provisional_id: number; real_id: number | null }>(
      'SELECT provisional_id, real_id FROM upstream_transactions WHERE charger_id = ? ORDER BY provisional_id DESC',
    );
  }

  /**
   * Appends a StopTransaction or MeterValues; returns its sequence number. The same message still queued (a charger
   * that lost our answer, or rebooted before it noted it, sends it again unchanged) adds nothing and returns the first
   * one's: the CSMS must not get it twice, and a second stop would name a provisional id whose mapping the first one
   * dropped.
   *
   * The backlog's bound: beyond `maxQueuedMeterValues` queued MeterValues for the charger, the oldest one that is
   * neither the first nor the last queued of its transaction is dropped, in the same SQLite transaction. A
   * transaction's start, stop, first and last meter values are never dropped (the CSMS bills from them); past that
   * the disk is the limit.
   */
  append(chargerId: string, action: Exclude<QueuedAction, 'StartTransaction'>, payload: object, at: number): number {
    const text = JSON.stringify(payload);
    return this.db.transaction((): number => {
      const known = this.queuedSame.get(chargerId, action, text);
      if (known !== undefined) return known.seq;
      const seq = Number(this.insert.run(chargerId, action, text, at).lastInsertRowid);
      this.changes?.note({ kind: 'queued', chargerId, seq, action, payload: text, queuedAt: at });
      const thinned = action === 'MeterValues' ? this.bound.thin(chargerId) : undefined;
      if (thinned !== undefined) {
        this.changes?.note({ kind: 'gone', seq: thinned });
        this.onThinned(chargerId);
      }
      return seq;
    })();
  }

  /**
   * Appends a StartTransaction with a new provisional id, in one transaction. The same payload again (a charger that
   * lost our answer retries its StartTransaction unchanged) adds nothing and returns the first one: the CSMS must not
   * see one transaction started twice.
   */
  appendStart(chargerId: string, payload: object, at: number): QueuedStart {
    const text = JSON.stringify(payload);
    return this.db.transaction((): QueuedStart => {
      const known = this.startByPayload.get(chargerId, text);
      if (known !== undefined) return { ...startOf(known), added: false };
      const provisionalId = Number(this.nextProvisional.get(FIRST_PROVISIONAL_ID)?.value);
      if (!(provisionalId >= LOWEST_PROVISIONAL_ID)) throw new Error('provisional transaction ids exhausted');
      const seq = Number(this.insert.run(chargerId, 'StartTransaction', text, at).lastInsertRowid);
      this.insertStart.run(provisionalId, chargerId, seq, text);
      this.changes?.note({ kind: 'queued', chargerId, seq, action: 'StartTransaction', payload: text, queuedAt: at });
      this.noteMapping(provisionalId);
      return { seq, provisionalId, realId: undefined, chargerKnows: undefined, added: true };
    })();
  }

  /** Records which id the charger was answered with for a StartTransaction. */
  answered(provisionalId: number, chargerKnows: 'real' | 'provisional'): void {
    this.setKnows.run(chargerKnows, provisionalId);
    this.noteMapping(provisionalId);
  }

  /** Notes a mapping as it is now (none when it is gone). */
  private noteMapping(provisionalId: number): void {
    if (this.changes === undefined) return;
    const row = this.mappingRow.get(provisionalId);
    if (row === undefined) return;
    const { chargerKnows, realId } = startOf(row);
    this.changes.note({
      kind: 'mapping',
      chargerId: row.charger_id,
      provisionalId,
      startPayload: row.start_payload,
      realId,
      chargerKnows,
    });
  }

  /** The oldest message still to deliver for `chargerId`. */
  next(chargerId: string): QueuedMessage | undefined {
    const row = this.head.get(chargerId);
    if (row === undefined) return undefined;
    const payload = PayloadSchema.safeParse(jsonOrUndefined(row.payload));
    const action = QUEUED_ACTIONS.find((a) => a === row.action);
    // Only this class writes the log, so an unreadable row is a corrupted file: it is set aside, not retried forever.
    if (!payload.success || action === undefined) {
      this.markParked.run('refused', row.seq);
      this.changes?.note({ kind: 'gone', seq: row.seq });
      return this.next(chargerId);
    }
    return { seq: row.seq, action, payload: payload.data, queuedAt: row.queued_at };
  }

  /**
   * The CSMS answered message `seq`: it leaves the log, and in the same transaction a StartTransaction's real id is
   * kept, a StopTransaction's mapping is dropped (`stoppedId`: the id the charger stopped, in its own terms).
   */
  delivered(seq: number, effect: { readonly realId?: number; readonly stoppedId?: number; chargerId: string }): void {
    this.db.transaction(() => {
      if (effect.realId !== undefined) {
        this.setRealId.run(effect.realId, seq);
        const started = this.startAt.get(seq);
        if (started !== undefined) this.noteMapping(started.provisional_id);
      }
      if (effect.stoppedId !== undefined) {
        const { chargerId, stoppedId } = effect;
        for (const row of this.startsNamed.all(chargerId, stoppedId, stoppedId))
          this.changes?.note({ kind: 'unmapped', chargerId, provisionalId: row.provisional_id });
        this.dropMapping.run(chargerId, stoppedId, stoppedId);
      }
      this.remove.run(seq);
      this.changes?.note({ kind: 'gone', seq });
    })();
  }

  /**
   * Message `seq` is set aside: kept, marked with why, and no longer holding up the rest (`refused`: the CSMS refused
   * it again and again; `unmapped`: it names a provisional id the CSMS has no real one for any more).
   */
  park(seq: number, why: SetAsideReason): void {
    this.markParked.run(why, seq);
    this.changes?.note({ kind: 'gone', seq });
  }

  /**
   * The StartTransactions whose mapping a stop of `transactionId` (in the charger's terms) drops, with the id the
   * charger was answered with: once the mapping is gone, a repeat of the start is recognised by its record instead.
   */
  startsStoppedBy(chargerId: string, transactionId: number): { payload: object; chargerKnowsId: number }[] {
    return this.startsNamed.all(chargerId, transactionId, transactionId).flatMap((row) => {
      const payload = PayloadSchema.safeParse(jsonOrUndefined(row.start_payload));
      if (!payload.success) return [];
      const chargerKnowsId = row.charger_knows === 'real' && row.real_id !== null ? row.real_id : row.provisional_id;
      return [{ payload: payload.data, chargerKnowsId }];
    });
  }

  /** The CSMS's id for a provisional one, once it gave it. */
  realIdOf(chargerId: string, provisionalId: number): number | undefined {
    return this.realOf.get(chargerId, provisionalId)?.real_id ?? undefined;
  }

  /** The provisional id the charger knows for the CSMS's `realId`, when it knows one. */
  provisionalIdOf(chargerId: string, realId: number): number | undefined {
    return this.provisionalOf.get(chargerId, realId)?.provisional_id;
  }

  /** How many messages wait for the CSMS, and since when. */
  backlog(chargerId: string): { readonly messages: number; readonly oldestAt: number | undefined } {
    const row = this.count.get(chargerId);
    return { messages: row?.n ?? 0, oldestAt: row?.oldest ?? undefined };
  }

  /** The chargers with messages waiting for the CSMS. */
  chargersWithBacklog(): string[] {
    return this.chargersQueued.all().map((row) => row.charger_id);
  }

  /** The provisional ids the charger holds a mapping for (newest first), with the CSMS's ids once known. */
  mappings(chargerId: string): ProvisionalMapping[] {
    return this.mappingsOf
      .all(chargerId)
      .map((r) => ({ provisionalId: r.provisional_id, realId: r.real_id ?? undefined }));
  }

  /** How many of the charger's meter values the backlog's bound dropped, since the database was made. */
  thinned(chargerId: string): number {
    return this.bound.thinned(chargerId);
  }
}

function startOf(row: StartRow): Omit<QueuedStart, 'added'> {
  return {
    seq: row.start_seq,
    provisionalId: row.provisional_id,
    realId: row.real_id ?? undefined,
    chargerKnows: row.charger_knows === 'real' || row.charger_knows === 'provisional' ? row.charger_knows : undefined,
  };
}
