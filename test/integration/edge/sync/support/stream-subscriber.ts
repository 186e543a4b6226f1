/** A cloud-side stand-in: an MQTT subscriber to a site's streams that drops replays by message id, as the ingest does. */
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { SiteBatchSchema, type SiteMessage } from '../../../../../shared/sync/sync-messages';
import { parseSiteStreamTopic, type SiteStream } from '../../../../../shared/sync/sync-topics';

let connections = 0;

export class StreamSubscriber extends EventEmitter {
  readonly firstSeen: Record<SiteStream, string[]> = { telemetry: [], sessions: [], events: [] };
  readonly seen = new Set<string>();
  duplicates = 0;
  batches = 0;

  private constructor(
    private client: MqttClient,
    private readonly url: string,
    private readonly topic: string,
  ) {
    super();
    this.listen(client);
  }

  /**
   * Connects with a clean session and subscribes to every stream of `siteId` with QoS 1. No automatic reconnect:
   * after a broker restart the test calls `reconnected()`, which opens a new connection under a new client id (aedes
   * tears an old session down asynchronously, and a same-id session could lose its subscription to that teardown).
   */
  static async connect(url: string, siteId: string): Promise<StreamSubscriber> {
    const topic = `ampshare/sites/${siteId}/+`;
    return new StreamSubscriber(await StreamSubscriber.open(url, topic), url, topic);
  }

  private static async open(url: string, topic: string): Promise<MqttClient> {
    const client = await mqtt.connectAsync(url, { clientId: `cloud-ingest-${++connections}`, clean: true, protocolVersion: 4, reconnectPeriod: 0 });
    await client.subscribeAsync(topic, { qos: 1 });
    return client;
  }

  private listen(client: MqttClient): void {
    client.on('message', (topic, payload) => {
      const where = parseSiteStreamTopic(topic);
      if (where === undefined) return;
      const batch = SiteBatchSchema.parse(JSON.parse(payload.toString()));
      this.batches++;
      for (const message of batch.messages) this.take(message);
      this.emit('batch');
    });
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

  /** A new connection after a broker restart; resolves once its subscription is active. */
  async reconnected(): Promise<void> {
    await this.client.endAsync(true);
    this.client = await StreamSubscriber.open(this.url, this.topic);
    this.listen(this.client);
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
