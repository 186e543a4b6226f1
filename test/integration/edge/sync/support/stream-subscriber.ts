/** A cloud-side stand-in: an MQTT subscriber to a gateway's streams that drops replays by message id, as the ingest does. */
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { SiteBatchSchema, type SiteMessage } from '../../../../../shared/sync/sync-messages';
import { gatewayTopicRoot, parseGatewayStreamTopic, type SiteStream } from '../../../../../shared/sync/sync-topics';

let connections = 0;

export class StreamSubscriber extends EventEmitter {
  readonly firstSeen: Record<SiteStream, string[]> = { telemetry: [], sessions: [], events: [] };
  readonly seen = new Set<string>();
  duplicates = 0;
  batches = 0;

  private client: MqttClient | undefined;
  private readonly clientId = `cloud-ingest-${++connections}`;

  private constructor(
    private readonly url: string,
    private readonly topic: string,
  ) {
    super();
  }

  /**
   * Connects with a persistent session (a fixed client id, `clean: false`) and subscribes to every stream of the gateway `thingName`
   * with QoS 1. Like the IoT rules engine, it then gets every message the broker acknowledged: aedes writes the PUBACK,
   * then routes the message on the next turn of the event loop (also when the publisher's socket has gone meanwhile),
   * queuing it for a persistent subscription that is away, and hands it over when the subscriber comes back after a
   * broker restart. No automatic reconnect: the test calls `reconnected()` when it wants the subscriber back.
   */
  static async connect(url: string, thingName: string): Promise<StreamSubscriber> {
    const subscriber = new StreamSubscriber(url, `${gatewayTopicRoot(thingName)}/+`);
    await subscriber.open();
    return subscriber;
  }

  /**
   * The message listener is attached before the connection exists: mqtt.js hands a PUBLISH that arrives in the same
   * chunk as the SUBACK to its listeners before an `await` on the subscription could attach one.
   */
  private async open(): Promise<void> {
    const client = mqtt.connect(this.url, {
      clientId: this.clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    this.client = client;
    this.listen(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(this.topic, { qos: 1 });
  }

  private listen(client: MqttClient): void {
    client.on('message', (topic, payload) => {
      const where = parseGatewayStreamTopic(topic);
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
    await this.client?.endAsync(true);
    await this.open();
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
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
