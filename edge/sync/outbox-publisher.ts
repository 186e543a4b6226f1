/**
 * Sends the outbox, stream by stream, in order: batches of up to `batchMessages` (and 128 KiB) with a few batches per
 * stream awaiting PUBACK at once. Rows are deleted only on the PUBACK of their batch. On a loss, and on every connect,
 * each stream starts again from its oldest stored row; a batch whose PUBACK was lost is sent again, which the cloud's
 * ingest drops by message id (at-least-once on the wire, exactly once after dedup, in order per stream).
 */
import { MAX_MESSAGE_BYTES } from '../../shared/sync/sync-messages';
import { gatewayStreamTopic, SITE_STREAMS, type SiteStream } from '../../shared/sync/sync-topics';
import type { Clock } from '../platform/clock';
import type { Outbox } from './outbox';
import type { SyncLog, SyncTransport } from './sync-ports';

export interface OutboxPublisherSettings {
  /** The gateway's thing name: its stream topics are keyed by it. */
  readonly thingName: string;
  readonly batchMessages: number;
  readonly inflightBatches: number;
  /** Wait before sending a stream again after a batch failed on a live connection. */
  readonly retryDelayMs: number;
}

const BATCH_PREFIX = '{"v":1,"messages":[';
const BATCH_SUFFIX = ']}';

interface StreamCursor {
  /** Last seq handed to the transport in this connection. */
  sentUpTo: number;
  inflight: number;
  /** Bumped on every connect and loss: late answers to an older round only delete what they acknowledged. */
  round: number;
}

export class OutboxPublisher {
  private readonly cursors = new Map<SiteStream, StreamCursor>(
    SITE_STREAMS.map((s) => [s, { sentUpTo: 0, inflight: 0, round: 0 }]),
  );
  private readonly woken = new Set<SiteStream>();
  private started = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly outbox: Outbox,
    private readonly transport: SyncTransport,
    private readonly settings: OutboxPublisherSettings,
    private readonly clock: Clock,
    private readonly log: SyncLog,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe.push(this.transport.onConnectionChange(() => this.restartAll()));
    this.outbox.onEnqueue((stream) => this.wake(stream));
    this.restartAll();
  }

  stop(): void {
    this.started = false;
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Starts every stream again from its oldest stored row. */
  private restartAll(): void {
    for (const cursor of this.cursors.values()) {
      cursor.sentUpTo = 0;
      cursor.inflight = 0;
      cursor.round++;
    }
    for (const stream of SITE_STREAMS) this.pump(stream);
  }

  /** Enqueue stays synchronous and cheap: the send happens on a later turn of the event loop, once per burst. */
  private wake(stream: SiteStream): void {
    if (!this.started || this.woken.has(stream) || !this.transport.connected) return;
    this.woken.add(stream);
    setImmediate(() => {
      this.woken.delete(stream);
      this.pump(stream);
    });
  }

  private pump(stream: SiteStream): void {
    const cursor = this.cursors.get(stream)!;
    while (this.started && this.transport.connected && cursor.inflight < this.settings.inflightBatches) {
      const rows = this.outbox.read(
        stream,
        cursor.sentUpTo,
        this.settings.batchMessages,
        MAX_MESSAGE_BYTES - BATCH_PREFIX.length - BATCH_SUFFIX.length,
      );
      if (rows.length === 0) return;
      const seqs = rows.map((r) => r.seq);
      const payload = `${BATCH_PREFIX}${rows.map((r) => r.message).join(',')}${BATCH_SUFFIX}`;
      cursor.sentUpTo = seqs[seqs.length - 1]!;
      cursor.inflight++;
      const round = cursor.round;
      this.transport.publish(gatewayStreamTopic(this.settings.thingName, stream), payload).then(
        () => {
          this.outbox.acknowledge(seqs);
          if (cursor.round !== round) return;
          cursor.inflight--;
          this.pump(stream);
        },
        (error: unknown) => {
          if (cursor.round !== round) return;
          // Not a loss (that restarts every stream): start this stream again from its oldest row.
          this.log.warn({ stream, err: (error as Error).message }, 'outbox batch not acknowledged');
          cursor.round++;
          cursor.sentUpTo = 0;
          cursor.inflight = 0;
          this.clock.after(this.settings.retryDelayMs, () => this.pump(stream));
        },
      );
    }
  }
}
