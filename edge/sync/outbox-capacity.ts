/**
 * What the outbox gives up when it is over its byte limit, oldest first and in bounded steps (so that an enqueue
 * never does more than one step of work):
 * 1. telemetry is downsampled: a cursor walks the telemetry rows from the oldest and deletes every second one of each
 *    chunk; when it reaches the newest it starts again, so old telemetry gets coarser (1/2, 1/4, ...) evenly in time;
 * 2. once no telemetry is left, the oldest info events (charger status and the like) are dropped;
 * 3. sessions and warning or critical events are never dropped: the outbox then grows past its limit and says so.
 */
import type { EventBody } from '../../shared/sync/sync-messages';
import type { SiteStream } from '../../shared/sync/sync-topics';
import type { OutboxDatabase } from './outbox-database';

/** Drop classes stored with each row. */
const DROP_TELEMETRY = 0;
const DROP_INFO_EVENT = 1;
const KEEP = 2;

const CHUNK_ROWS = 512;

/** Sessions and warning or critical events are never dropped; info events go after all telemetry. */
export function dropClass(stream: SiteStream, body: unknown): number {
  if (stream === 'telemetry') return DROP_TELEMETRY;
  if (stream === 'events' && (body as EventBody).severity === 'info') return DROP_INFO_EVENT;
  return KEEP;
}

export interface FreedRows {
  readonly rows: number;
  readonly bytes: number;
  readonly byStream: ReadonlyMap<string, number>;
  /** The ids of the messages given up (a cluster master deletes their copies from the ledger). */
  readonly messageIds: readonly string[];
  readonly kind: 'thinned' | 'dropped' | 'none';
}

const NONE: FreedRows = { rows: 0, bytes: 0, byStream: new Map(), messageIds: [], kind: 'none' };

export class OutboxCapacity {
  private thinCursor = 0;
  private readonly telemetryChunk;
  private readonly infoChunk;
  private readonly deleteRow;

  constructor(private readonly db: OutboxDatabase) {
    this.telemetryChunk = db.prepare<[number, number], { seq: number; bytes: number }>(
      `SELECT seq, bytes FROM outbox WHERE drop_class = ${DROP_TELEMETRY} AND seq > ? ORDER BY seq LIMIT ?`,
    );
    this.infoChunk = db.prepare<[number], { seq: number; bytes: number; stream: string }>(
      `SELECT seq, bytes, stream FROM outbox WHERE drop_class = ${DROP_INFO_EVENT} ORDER BY seq LIMIT ?`,
    );
    this.deleteRow = db.prepare<[number], { messageId: string }>(
      "DELETE FROM outbox WHERE seq = ? RETURNING json_extract(message, '$.messageId') AS messageId",
    );
  }

  /** One step of the policy above; `none` when only rows that are never dropped are left. */
  freeOneStep(): FreedRows {
    const thinned = this.thinStep();
    if (thinned.rows > 0) return thinned;
    return this.dropInfoEvents();
  }

  private thinStep(): FreedRows {
    let chunk = this.telemetryChunk.all(this.thinCursor, CHUNK_ROWS);
    if (chunk.length < 2 && this.thinCursor > 0) {
      this.thinCursor = 0;
      chunk = this.telemetryChunk.all(0, CHUNK_ROWS);
    }
    if (chunk.length === 0) return NONE;
    // A single telemetry row left: drop it rather than keep nothing but it forever.
    const victims = chunk.length === 1 ? chunk : chunk.filter((_, k) => k % 2 === 1);
    this.thinCursor = chunk[chunk.length - 1]!.seq;
    const { bytes, messageIds } = this.deleteAll(victims);
    return {
      rows: victims.length,
      bytes,
      byStream: new Map([['telemetry', victims.length]]),
      messageIds,
      kind: 'thinned',
    };
  }

  private dropInfoEvents(): FreedRows {
    const victims = this.infoChunk.all(CHUNK_ROWS / 4);
    if (victims.length === 0) return NONE;
    const { bytes, messageIds } = this.deleteAll(victims);
    const byStream = new Map<string, number>();
    for (const v of victims) byStream.set(v.stream, (byStream.get(v.stream) ?? 0) + 1);
    return { rows: victims.length, bytes, byStream, messageIds, kind: 'dropped' };
  }

  private deleteAll(rows: readonly { seq: number; bytes: number }[]): { bytes: number; messageIds: string[] } {
    let bytes = 0;
    const messageIds: string[] = [];
    this.db.transaction(() => {
      for (const row of rows) {
        const deleted = this.deleteRow.get(row.seq);
        if (deleted === undefined) continue;
        bytes += row.bytes;
        messageIds.push(deleted.messageId);
      }
    })();
    return { bytes, messageIds };
  }
}
