/**
 * Watches one gateway's site streams reach the local cloud, to check delivery: the first arrival of each message id at
 * the broker (order per stream), the rows each ingest stored, and what the agent's outbox produced (read from its
 * SQLite file once the agent has stopped).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { formatMessageId } from '../../../../edge/sync/message-id';
import { OUTBOX_FILE } from '../../../../edge/sync/outbox-database';
import { SiteBatchSchema } from '../../../../shared/sync/sync-messages';
import { parseGatewayStreamTopic, type SiteStream } from '../../../../shared/sync/sync-topics';

/** What the agent's outbox holds after a stop. */
export interface OutboxRecord {
  /** Every message id it ever gave out, in enqueue order (the sequence never skips or repeats). */
  readonly produced: readonly string[];
  /** The ids still waiting (not acknowledged by the broker), with their stream. */
  readonly waiting: ReadonlyMap<string, SiteStream>;
}

export class DeliveryAudit {
  /** First arrival of each id at the broker, per stream, in arrival order. */
  readonly firstSeen: Record<SiteStream, string[]> = { telemetry: [], sessions: [], events: [] };
  /** Sum of the rows the ingest stored (a replay stores nothing). */
  stored = 0;
  private readonly seen = new Set<string>();
  private readonly off: () => void;

  constructor(
    private readonly cloud: LocalCloud,
    private readonly thingName: string,
  ) {
    const onPublish = (packet: { topic: string; payload: Buffer | string }, client: { id: string } | null) => {
      const route = parseGatewayStreamTopic(packet.topic);
      if (client?.id !== thingName || route === undefined) return;
      const batch = SiteBatchSchema.safeParse(JSON.parse(packet.payload.toString()));
      if (!batch.success) return;
      for (const { messageId } of batch.data.messages) {
        if (this.seen.has(messageId)) continue;
        this.seen.add(messageId);
        this.firstSeen[route.stream].push(messageId);
      }
    };
    cloud.broker.aedes.on('publish', onPublish);
    const offOutcomes = cloud.bridge.onOutcome((o) => {
      if (o.kind === 'ingest' && o.thingName === thingName) this.stored += o.result.stored;
    });
    this.off = () => {
      cloud.broker.aedes.off('publish', onPublish);
      offOutcomes();
    };
  }

  /** Every id that reached the broker at least once. */
  arrived(): ReadonlySet<string> {
    return this.seen;
  }

  /** The ids among `ids` that the cloud's ingest ledger recorded as stored. */
  recorded(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.cloud.ingest.ledger.seen(this.cloud.demo.tenantId, this.cloud.demo.siteId, ids);
  }

  stop(): void {
    this.off();
  }
}

/** Reads `<dataDir>/outbox.sqlite` of a stopped agent (read-only). */
export function readOutbox(dataDir: string): OutboxRecord {
  const db = new Database(path.join(dataDir, OUTBOX_FILE), { readonly: true });
  try {
    const epoch = Number(
      db.prepare<[], { value: string }>("SELECT value FROM sync_meta WHERE key = 'messageIdEpoch'").get()?.value,
    );
    const last =
      db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get()?.seq ?? 0;
    const rows = db
      .prepare<[], { seq: number; stream: SiteStream }>('SELECT seq, stream FROM outbox ORDER BY seq')
      .all();
    return {
      produced: Array.from({ length: last }, (_, k) => formatMessageId(epoch, k + 1)),
      waiting: new Map(rows.map((r) => [formatMessageId(epoch, r.seq), r.stream])),
    };
  } finally {
    db.close();
  }
}
