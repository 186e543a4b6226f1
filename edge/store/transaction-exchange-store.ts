/**
 * The transactions (open and closed) and stray stops a two-gateway node exchanges with the other gateway
 * (docs/cluster.md, "Merging the two gateways' records"). A page lists what changed after a cursor (transaction_changes, kept by
 * triggers); a record from the other node is joined with what this store holds and stored only when that changes
 * something, so a record coming back unchanged is not sent back again, and repeats change nothing.
 */
import { z } from 'zod';
import type { SessionStop, TimeReceipt } from '../control/control-ports';
import {
  type Applied,
  joinRecords,
  DUPLICATE_START_REASON,
  differentStarts,
  type PeerCursor,
  type StartPart,
  sameRecord,
  sameStartRequest,
  type StopOpen,
  type StopPart,
  type TransactionExchange,
  type TransactionPage,
  type TransactionRecord,
  unlearntOf,
} from '../cluster/transaction-merge';
import type { StoreDatabase } from './store-database';
import { SqlitePeerOpenTransactions } from './peer-open-store';
import { currentEpoch, resumeSeq } from './store-epochs';
import { StrayStopPruning } from './stray-stop-pruning';

const PeerCursorSchema = z.object({ epoch: z.string(), seq: z.number().int().min(0) }).strict();

interface Row {
  charger_id: string;
  connector_id: number;
  id_tag: string | null;
  started_at: number;
  meter_start_wh: number;
  energy_wh: number;
  start_received_at: number | null;
  start_time_source: StopPart['source'];
  stopped_at: number | null;
  meter_stop_wh: number | null;
  stop_reason: string | null;
  stop_received_at: number | null;
  stop_time_source: StopPart['source'];
}

interface PartRow {
  stopped_at: number;
  meter_stop_wh: number;
  stop_reason: string;
  stop_received_at: number;
  stop_time_source: StopPart['source'];
}

export class SqliteTransactionExchange implements TransactionExchange {
  private readonly changes;
  private readonly latest;
  private readonly part;
  private readonly putPart;
  private readonly dropPart;
  private readonly insertClosed;
  private readonly restop;
  private readonly openOn;
  private readonly peerOpen;
  private readonly strayStops;
  private readonly readCursor;
  private readonly writeCursor;

  constructor(private readonly db: StoreDatabase) {
    this.changes = db.prepare<[number, number], { seq: number; id: number }>(
      'SELECT seq, id FROM transaction_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.latest = db.prepare<[number], Row>('SELECT * FROM transactions WHERE id = ? ORDER BY row DESC LIMIT 1');
    this.peerOpen = new SqlitePeerOpenTransactions(db);
    this.strayStops = new StrayStopPruning(db);
    this.openOn = db.prepare<[string, number, number], { id: number }>(
      'SELECT id FROM transactions WHERE stopped_at IS NULL AND charger_id = ? AND connector_id = ? AND id != ?',
    );
    this.part = db.prepare<[number], PartRow>('SELECT * FROM transaction_parts WHERE id = ?');
    this.putPart = db.prepare<StopPart & { id: number }>(
      `INSERT INTO transaction_parts (id, stopped_at, meter_stop_wh, stop_reason, stop_received_at, stop_time_source)
       VALUES (@id, @stoppedAt, @meterStopWh, @reason, @receivedAt, @source)
       ON CONFLICT (id) DO UPDATE SET stopped_at = excluded.stopped_at, meter_stop_wh = excluded.meter_stop_wh,
         stop_reason = excluded.stop_reason, stop_received_at = excluded.stop_received_at,
         stop_time_source = excluded.stop_time_source`,
    );
    this.restop = db.prepare<StopPart & { id: number }>(
      `UPDATE transactions SET stopped_at = @stoppedAt, meter_stop_wh = @meterStopWh, stop_reason = @reason,
         energy_wh = max(0, @meterStopWh - meter_start_wh), stop_received_at = @receivedAt, stop_time_source = @source
       WHERE row = (SELECT max(row) FROM transactions WHERE id = @id)`,
    );
    this.readCursor = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'peerTransactionCursor'");
    this.writeCursor = db.prepare<[string]>(
      "INSERT INTO meta (key, value) VALUES ('peerTransactionCursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    this.dropPart = db.prepare<[number]>('DELETE FROM transaction_parts WHERE id = ?');
    this.insertClosed = db.prepare(
      `INSERT INTO transactions (id, charger_id, connector_id, id_tag, started_at, meter_start_wh, energy_wh,
         start_received_at, start_time_source, stopped_at, meter_stop_wh, stop_reason, stop_received_at, stop_time_source)
       VALUES (@id, @chargerId, @connectorId, @idTag, @startedAt, @meterStartWh, max(0, @meterStopWh - @meterStartWh),
         @startReceivedAt, @startSource, @stoppedAt, @meterStopWh, @reason, @receivedAt, @source)`,
    );
  }

  /**
   * At most `limit` transactions (open ones too) and stray stops changed after `cursor`, from the start when `cursor`
   * is not in this store's history; a cursor that is tells that the other node holds every change up to it.
   */
  page(cursor: PeerCursor, limit: number): TransactionPage {
    const from = resumeSeq(this.db, cursor);
    if (from > 0) this.strayStops.taken(from);
    const changed = this.changes.all(from, limit + 1);
    const records: TransactionRecord[] = [];
    for (const { id } of changed.slice(0, limit)) {
      const record = this.record(id);
      if (record !== undefined) records.push(record);
    }
    const last = changed.length > limit ? changed[limit - 1] : changed.at(-1);
    return { records, next: last?.seq ?? from, epoch: currentEpoch(this.db), more: changed.length > limit };
  }

  /** Drops the stray stops the other node has taken and no start matched within the retention (stray-stop-pruning.ts). */
  pruneStrayStops(now: number, retentionMs?: number): number {
    return this.strayStops.prune(now, retentionMs);
  }

  /**
   * How far this node has taken the other node's changes (its `page` cursor); a cursor kept before epochs were (a bare
   * number) names none, so the other node starts it again from the beginning once.
   */
  peerCursor(): PeerCursor {
    const value = this.readCursor.get()?.value;
    const parsed = value === undefined ? undefined : PeerCursorSchema.safeParse(JSON.parse(value));
    return parsed?.success ? parsed.data : { epoch: '', seq: 0 };
  }

  savePeerCursor(cursor: PeerCursor): void {
    this.writeCursor.run(JSON.stringify(cursor));
  }

  /**
   * A stop for a transaction this store has no start of: kept, so that the other node (which has the start) can
   * close it; the first stop received wins, as on a transaction stored here.
   */
  keepStrayStop(stop: SessionStop, received: TimeReceipt): void {
    const { transactionId, ...part } = stop;
    this.apply({ transactionId, stop: { ...part, ...received } });
  }

  /** Joins the other node's view of one transaction into this store. */
  apply(remote: TransactionRecord): Applied {
    return this.db.transaction((): Applied => {
      const local = this.record(remote.transactionId);
      if (differentStarts(local?.start, remote.start)) return { kind: 'idCollision' };
      if (local === undefined && remote.start !== undefined && remote.stop === undefined)
        return { kind: this.peerOpen.keep({ ...remote, start: remote.start }) ? 'stored' : 'unchanged' };
      const joined = local === undefined ? remote : joinRecords(local, remote);
      if (sameRecord(joined, local)) return { kind: 'unchanged' };
      const row = this.latest.get(remote.transactionId);
      if (row !== undefined && row.stopped_at === null) {
        // Open here: the control loop ends it (site runtime, store, reports) as it would the charger's own stop.
        if (joined.stop === undefined) return { kind: 'unchanged' };
        const { stoppedAt, meterStopWh, reason, receivedAt, source } = joined.stop;
        return {
          kind: 'stopOpen',
          chargerId: row.charger_id,
          stop: { transactionId: remote.transactionId, stoppedAt, meterStopWh, reason },
          received: { receivedAt, source: source ?? 'charger' },
        };
      }
      if (joined.stop === undefined) return { kind: 'unchanged' };
      if (row !== undefined) {
        // Closed here with a stop the charger sent again to the other node, which received it first: both keep that one.
        this.restop.run({ id: remote.transactionId, ...joined.stop });
        return { kind: 'stored' };
      }
      if (joined.start === undefined) {
        this.putPart.run({ id: remote.transactionId, ...joined.stop });
        return { kind: 'stored' };
      }
      const { start, stop } = joined;
      this.insertClosed.run({
        id: remote.transactionId,
        ...start,
        idTag: start.idTag ?? null,
        startReceivedAt: start.receivedAt,
        startSource: start.source,
        ...stop,
      });
      this.dropPart.run(remote.transactionId);
      this.peerOpen.drop(remote.transactionId);
      return { kind: 'stored' };
    })();
  }

  /** The transaction open here that `remote` duplicates, the one the charger never learnt (transaction-merge.ts). */
  unlearntStart(remote: TransactionRecord): StopOpen | undefined {
    const { start } = remote;
    if (start === undefined) return undefined;
    for (const { id } of this.openOn.all(start.chargerId, start.connectorId, remote.transactionId)) {
      const local = this.record(id);
      if (local?.start === undefined || !sameStartRequest(local.start, start)) continue;
      if (unlearntOf({ ...local, start: local.start }, { ...remote, start }).transactionId !== id) continue;
      return duplicateStop(id, local.start);
    }
    return undefined;
  }

  /** This store's view of one transaction: its latest row, or a stray stop. */
  private record(transactionId: number): TransactionRecord | undefined {
    const row = this.latest.get(transactionId);
    if (row === undefined) {
      const part = this.part.get(transactionId);
      return part && { transactionId, stop: stopPart(part) };
    }
    const start = {
      chargerId: row.charger_id,
      connectorId: row.connector_id,
      ...(row.id_tag !== null && { idTag: row.id_tag }),
      startedAt: row.started_at,
      meterStartWh: row.meter_start_wh,
      receivedAt: row.start_received_at ?? row.started_at,
      source: row.start_time_source,
    };
    if (row.stopped_at === null) return { transactionId, start, meteredWh: row.energy_wh };
    return {
      transactionId,
      start,
      stop: stopPart({
        stopped_at: row.stopped_at,
        meter_stop_wh: row.meter_stop_wh ?? 0,
        stop_reason: row.stop_reason ?? 'Other',
        stop_received_at: row.stop_received_at ?? row.stopped_at,
        stop_time_source: row.stop_time_source,
      }),
    };
  }
}

function stopPart(row: PartRow): StopPart {
  return {
    stoppedAt: row.stopped_at,
    meterStopWh: row.meter_stop_wh,
    reason: row.stop_reason,
    receivedAt: row.stop_received_at,
    source: row.stop_time_source,
  };
}

/** The unlearnt id closed where it began, with no energy: the charger's session is under the id it learnt. */
function duplicateStop(transactionId: number, start: StartPart): StopOpen {
  return {
    kind: 'stopOpen',
    chargerId: start.chargerId,
    stop: {
      transactionId,
      stoppedAt: start.startedAt,
      meterStopWh: start.meterStartWh,
      reason: DUPLICATE_START_REASON,
    },
    received: { receivedAt: start.receivedAt, source: 'charger' },
  };
}
