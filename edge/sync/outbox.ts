/**
 * The durable outbox: every telemetry sample, session change and event is written to SQLite before it is sent, and
 * deleted only once the broker has acknowledged the batch that carried it. `enqueue` is synchronous and cheap (one
 * validated insert), so the control loop never waits on the network. When the disk takes no writes (full, read-only)
 * a message is held in memory with its id and stored, in order, before the next one once the disk takes writes again:
 * a "storage full" event raised on that same disk still reaches the cloud.
 */
import type { z } from 'zod';
import type { FieldIssue } from '../../shared/errors';
import {
  EventBodySchema,
  MAX_MESSAGE_BYTES,
  SessionBodySchema,
  TelemetryBodySchema,
  type EventBody,
  type SessionBody,
  type TelemetryBody,
} from '../../shared/sync/sync-messages';
import type { SiteStream } from '../../shared/sync/sync-topics';
import { fieldIssues } from '../../shared/validation';
import { readAdoptedMessage } from './adopted-message';
import { formatMessageId } from './message-id';
import { dropClass, OutboxCapacity } from './outbox-capacity';
import { SyncMeta, type OutboxDatabase } from './outbox-database';
import { RateMeter } from './rate-meter';

export interface OutboxBodies {
  readonly telemetry: TelemetryBody;
  readonly sessions: SessionBody;
  readonly events: EventBody;
}

export type EnqueueResult =
  | { readonly ok: true; readonly messageId: string }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** What the control loop sees of the outbox. */
export interface OutboxProducer {
  enqueue<S extends SiteStream>(stream: S, body: OutboxBodies[S], at?: number): EnqueueResult;
}

/** One stored message, as published: `message` is the envelope's JSON. */
export interface OutboxRow {
  readonly seq: number;
  readonly bytes: number;
  readonly message: string;
}

/** A message just stored, as it will be published (a cluster master copies it into the ledger). */
export interface StoredMessage {
  readonly messageId: string;
  readonly stream: SiteStream;
  readonly message: string;
}

export interface OutboxStats {
  readonly messages: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly byStream: Readonly<Record<SiteStream, number>>;
  /** `at` of the oldest message waiting, if any. */
  readonly oldestAt: number | undefined;
  readonly enqueuedPerSecond: number;
  readonly sentPerSecond: number;
  /** Since start: telemetry samples removed by downsampling and info events dropped. */
  readonly telemetryThinned: number;
  readonly eventsDropped: number;
  /** Only rows that are never dropped are left and they exceed `maxBytes`. */
  readonly overLimit: boolean;
  /** Messages held in memory because the disk took no writes; stored before the next one. */
  readonly held: number;
}

export interface OutboxOptions {
  readonly siteId: string;
  readonly maxBytes: number;
  readonly now: () => number;
}

const BODY_SCHEMAS: Record<SiteStream, z.ZodType> = {
  telemetry: TelemetryBodySchema,
  sessions: SessionBodySchema,
  events: EventBodySchema,
};
/** Room left in a batch for `{"v":1,"messages":[...]}`. */
const BATCH_OVERHEAD_BYTES = 32;
export const MAX_OUTBOX_MESSAGE_BYTES = MAX_MESSAGE_BYTES - BATCH_OVERHEAD_BYTES;
/** Sessions and events held at most while the disk takes no writes (telemetry: only the newest sample is held). */
export const MAX_HELD_MESSAGES = 1_000;

/** A message ready to be stored, with its id (and seq) given at enqueue. */
interface NewRow extends StoredMessage {
  readonly seq: number;
  readonly at: number;
  readonly dropClass: number;
  readonly bytes: number;
}

export class Outbox implements OutboxProducer {
  private nextSeq: number;
  private readonly epochMs: number;
  private count = 0;
  private totalBytes = 0;
  private readonly byStream: Record<SiteStream, number> = { telemetry: 0, sessions: 0, events: 0 };
  private readonly capacity: OutboxCapacity;
  private readonly enqueued: RateMeter;
  private readonly sent: RateMeter;
  private readonly listeners: ((stream: SiteStream, stored: StoredMessage) => void)[] = [];
  private readonly ackListeners: ((removed: number) => void)[] = [];
  private readonly settledListeners: ((messageIds: readonly string[]) => void)[] = [];
  private thinned = 0;
  private dropped = 0;
  private over = false;
  private readonly held: NewRow[] = [];
  /** Acknowledged rows not deleted yet (the disk took no writes); never more than the rows stored. */
  private readonly acknowledged = new Set<number>();
  private readonly insert;
  private readonly readAfter;
  private readonly remove;
  private readonly oldest;

  constructor(
    private readonly db: OutboxDatabase,
    private readonly options: OutboxOptions,
  ) {
    const meta = new SyncMeta(db);
    const epoch = meta.get('messageIdEpoch');
    this.epochMs = epoch === undefined ? options.now() : Number(epoch);
    if (epoch === undefined) meta.set('messageIdEpoch', String(this.epochMs));
    const last = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get();
    this.nextSeq = (last?.seq ?? 0) + 1;
    for (const row of db
      .prepare<[], { stream: string; n: number; bytes: number }>(
        'SELECT stream, COUNT(*) AS n, SUM(bytes) AS bytes FROM outbox GROUP BY stream',
      )
      .all()) {
      if (row.stream in this.byStream) this.byStream[row.stream as SiteStream] = row.n;
      this.count += row.n;
      this.totalBytes += row.bytes;
    }
    this.insert = db.prepare<[number, string, number, number, number, string]>(
      'INSERT INTO outbox (seq, stream, at, drop_class, bytes, message) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.readAfter = db.prepare<[string, number, number], OutboxRow>(
      'SELECT seq, bytes, message FROM outbox WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.remove = db.prepare<[number], { stream: string; bytes: number; messageId: string }>(
      "DELETE FROM outbox WHERE seq = ? RETURNING stream, bytes, json_extract(message, '$.messageId') AS messageId",
    );
    this.oldest = db.prepare<[], { at: number }>('SELECT at FROM outbox ORDER BY seq LIMIT 1');
    this.capacity = new OutboxCapacity(db);
    this.enqueued = new RateMeter(options.now);
    this.sent = new RateMeter(options.now);
  }

  /** Validates and stores one message; never throws and never touches the network. */
  enqueue<S extends SiteStream>(stream: S, body: OutboxBodies[S], at = this.options.now()): EnqueueResult {
    const schema = BODY_SCHEMAS[stream] as z.ZodType | undefined;
    if (schema === undefined)
      return { ok: false, issues: [{ path: 'stream', message: `unknown stream "${String(stream)}"` }] };
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return { ok: false, issues: fieldIssues(parsed.error).map((i) => ({ ...i, path: `body.${i.path}` })) };
    const seq = this.nextSeq;
    const messageId = formatMessageId(this.epochMs, seq);
    const message = JSON.stringify({ messageId, siteId: this.options.siteId, stream, at, body: parsed.data });
    const bytes = Buffer.byteLength(message);
    if (bytes > MAX_OUTBOX_MESSAGE_BYTES)
      return {
        ok: false,
        issues: [{ path: 'body', message: `message of ${bytes} bytes exceeds ${MAX_OUTBOX_MESSAGE_BYTES}` }],
      };
    return this.add({ seq, messageId, stream, at, dropClass: dropClass(stream, parsed.data), bytes, message });
  }

  /**
   * Stores a message another node's outbox made (a cluster master's, taken from the ledger), as it was: its id, its
   * time and its text, so that the cloud takes it for the same message should the other node send it too.
   */
  adopt(text: string): EnqueueResult {
    const read = readAdoptedMessage(text, this.options.siteId, MAX_OUTBOX_MESSAGE_BYTES);
    if (!read.ok) return read;
    const { message } = read;
    const row = { seq: this.nextSeq, messageId: message.messageId, stream: message.stream, at: message.at };
    return this.add({ ...row, dropClass: dropClass(message.stream, message.body), bytes: read.bytes, message: text });
  }

  private add(row: NewRow): EnqueueResult {
    this.deleteAcknowledged();
    if (!this.storeHeld() || !this.store(row)) {
      if (!this.hold(row))
        return {
          ok: false,
          issues: [
            { path: 'outbox', message: `the disk takes no writes and ${MAX_HELD_MESSAGES} messages are held already` },
          ],
        };
    }
    this.nextSeq = row.seq + 1;
    this.enqueued.add();
    return { ok: true, messageId: row.messageId };
  }

  /** Up to `maxMessages` of `stream` after `afterSeq`, oldest first, within `maxBytes` of payload (at least one row). */
  read(stream: SiteStream, afterSeq: number, maxMessages: number, maxBytes = MAX_OUTBOX_MESSAGE_BYTES): OutboxRow[] {
    const rows = this.readAfter.all(stream, afterSeq, maxMessages);
    let bytes = 0;
    for (let k = 0; k < rows.length; k++) {
      bytes += rows[k]!.bytes + 1;
      if (bytes > maxBytes && k > 0) return rows.slice(0, k);
    }
    return rows;
  }

  /**
   * Deletes rows the broker acknowledged; unknown (already deleted) seqs are ignored. On a disk that takes no writes
   * the rows stay (never thrown: this runs in a PUBACK callback) and are deleted with the next acknowledgement or message.
   */
  acknowledge(seqs: readonly number[]): void {
    for (const seq of seqs) this.acknowledged.add(seq);
    this.deleteAcknowledged();
  }

  /** Calls `listener` after every stored message (the publisher uses it to wake up). */
  onEnqueue(listener: (stream: SiteStream, stored: StoredMessage) => void): void {
    this.listeners.push(listener);
  }

  /** Calls `listener` with the ids of the messages that are gone: acknowledged, or given up when over the limit. */
  onSettled(listener: (messageIds: readonly string[]) => void): void {
    this.settledListeners.push(listener);
  }

  /** Calls `listener` after every acknowledgement with the number of rows it deleted (dashboard, tests). */
  onAcknowledge(listener: (removed: number) => void): void {
    this.ackListeners.push(listener);
  }

  stats(): OutboxStats {
    return {
      messages: this.count,
      bytes: this.totalBytes,
      maxBytes: this.options.maxBytes,
      byStream: { ...this.byStream },
      oldestAt: this.count === 0 ? undefined : this.oldest.get()?.at,
      enqueuedPerSecond: this.enqueued.perSecond(),
      sentPerSecond: this.sent.perSecond(),
      telemetryThinned: this.thinned,
      eventsDropped: this.dropped,
      overLimit: this.over,
      held: this.held.length,
    };
  }

  private deleteAcknowledged(): void {
    if (this.acknowledged.size === 0) return;
    let rows: { stream: string; bytes: number; messageId: string }[];
    try {
      rows = this.db.transaction(() => [...this.acknowledged].flatMap((seq) => this.remove.get(seq) ?? []))();
    } catch {
      return;
    }
    this.acknowledged.clear();
    for (const row of rows) {
      this.totalBytes -= row.bytes;
      if (row.stream in this.byStream) this.byStream[row.stream as SiteStream]--;
    }
    this.count -= rows.length;
    this.sent.add(rows.length);
    if (this.totalBytes <= this.options.maxBytes) this.over = false;
    for (const listener of this.ackListeners) listener(rows.length);
    this.settle(rows.map((row) => row.messageId));
  }

  private settle(messageIds: readonly string[]): void {
    if (messageIds.length > 0) for (const listener of this.settledListeners) listener(messageIds);
  }

  /** Stores one row; false when the disk took no write (the row is not stored). */
  private store(row: NewRow): boolean {
    try {
      this.insert.run(row.seq, row.stream, row.at, row.dropClass, row.bytes, row.message);
    } catch {
      return false;
    }
    this.count++;
    this.totalBytes += row.bytes;
    this.byStream[row.stream]++;
    // Told before making room, which may give this very row up (and says so to the same listeners).
    for (const listener of this.listeners) listener(row.stream, row);
    if (this.totalBytes > this.options.maxBytes) this.makeRoom();
    return true;
  }

  /** Stores the held rows oldest first; false while some are still held. */
  private storeHeld(): boolean {
    while (this.held.length > 0) {
      if (!this.store(this.held[0]!)) return false;
      this.held.shift();
    }
    return true;
  }

  /** Holds a row in memory: a telemetry sample replaces the one held before; false when too many are held. */
  private hold(row: NewRow): boolean {
    if (row.stream === 'telemetry') {
      const older = this.held.findIndex((h) => h.stream === 'telemetry');
      if (older >= 0) this.held.splice(older, 1);
    } else if (this.held.length >= MAX_HELD_MESSAGES) {
      return false;
    }
    this.held.push(row);
    return true;
  }

  /** One bounded step of the capacity policy per enqueue while over the limit. */
  private makeRoom(): void {
    const freed = this.capacity.freeOneStep();
    if (freed.kind === 'none') {
      this.over = true;
      return;
    }
    this.count -= freed.rows;
    this.totalBytes -= freed.bytes;
    for (const [stream, n] of freed.byStream) if (stream in this.byStream) this.byStream[stream as SiteStream] -= n;
    if (freed.kind === 'thinned') this.thinned += freed.rows;
    else this.dropped += freed.rows;
    this.settle(freed.messageIds);
  }
}
