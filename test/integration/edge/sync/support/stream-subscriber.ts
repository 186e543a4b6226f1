/** A cloud-side stand-in: a persistent MQTT subscriber to a site's streams that drops replays by message id, as the ingest does. */
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { SiteBatchSchema, type SiteMessage } from '../../../../../shared/sync/sync-messages';
import { parseSiteStreamTopic, type SiteStream } from '../../../../../shared/sync/sync-topics';

export class StreamSubscriber extends EventEmitter {
  readonly firstSeen: Record<SiteStream, string[]> = { telemetry: [], sessions: [], events: [] };
  readonly seen = new Set<string>();
  duplicates = 0;
  batches = 0;

  private constructor(private readonly client: MqttClient) {
    super();
    client.on('message', (topic, payload) => {
      const where = parseSiteStreamTopic(topic);
      if (where === undefined) return;
      const batch = SiteBatchSchema.parse(JSON.parse(payload.toString()));
      this.batches++;
      for (const message of batch.messages) this.take(message);
      this.emit('batch');
    });
  }

  /** Connects with a persistent session (clean: false) and subscribes to every stream of `siteId` with QoS 1. */
  static async connect(url: string, siteId: string, clientId = 'cloud-ingest'): Promise<StreamSubscriber> {
    const client = await mqtt.connectAsync(url, { clientId, clean: false, protocolVersion: 4, reconnectPeriod: 50 });
    await client.subscribeAsync(`ampshare/sites/${siteId}/+`, { qos: 1 });
    return new StreamSubscriber(client);
  }

  /** Resolves once `check()` holds, re-checked after every batch; rejects after `timeoutMs`. */
  waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('batch', onBatch);
        reject(new Error(`condition not met within ${timeoutMs} ms (seen ${this.seen.size}, batches ${this.batches})`));
      }, timeoutMs);
      const onBatch = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.off('batch', onBatch);
        resolve();
      };
      this.on('batch', onBatch);
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private take(message: SiteMessage): void {
    if (this.seen.has(message.messageId)) {
      this.duplicates++;
      return;
    }
    this.seen.add(message.messageId);
    this.firstSeen[message.stream].push(message.messageId);
  }
}
