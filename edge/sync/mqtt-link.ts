/**
 * The agent's MQTT connection (MQTT 3.1.1, QoS 1): connects, reconnects with exponential back-off and jitter, and
 * exposes its state for the dashboard. mqtt.js's own fixed-period reconnect is off; `reconnect()` starts with an empty
 * outgoing store, so every publish in flight is rejected on a loss and the outbox, not mqtt.js, replays it.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Clock } from '../platform/clock';
import { ReconnectScheduler, type BackoffSettings } from './backoff';
import type { SyncLog, SyncTransport } from './sync-ports';

export type LinkStatus = 'connecting' | 'connected' | 'offline' | 'stopped';

export interface LinkState {
  readonly status: LinkStatus;
  /** When the status last changed (epoch ms). */
  readonly since: number;
  /** Failed attempts since the last successful connection. */
  readonly attempts: number;
  readonly lastError: string | undefined;
}

export interface MqttLinkSettings {
  readonly url: string;
  readonly options: IClientOptions;
  readonly reconnect: BackoffSettings;
  readonly clock: Clock;
  readonly log: SyncLog;
  readonly random?: () => number;
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class MqttLink implements SyncTransport {
  private client: MqttClient | undefined;
  private readonly scheduler: ReconnectScheduler;
  private current: LinkState;
  private readonly pending = new Set<Pending>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private readonly messageListeners = new Set<(topic: string, payload: Buffer) => void>();
  /** Set while the link says its last words before it closes (`closeAfter`). */
  private closing: object | undefined;

  constructor(private readonly settings: MqttLinkSettings) {
    this.scheduler = new ReconnectScheduler(settings.reconnect, settings.clock, settings.random);
    this.current = { status: 'stopped', since: settings.clock.now(), attempts: 0, lastError: undefined };
  }

  get connected(): boolean {
    return this.current.status === 'connected';
  }

  state(): LinkState {
    return { ...this.current, attempts: this.scheduler.attempts };
  }

  /** Starts connecting; returns at once (the control loop never waits for the broker). */
  start(): void {
    if (this.closing !== undefined && this.client !== undefined) {
      // Asked to stay open while it was closing: a loss meanwhile was not reconnected.
      this.closing = undefined;
      if (this.current.status === 'offline') this.reconnectNow();
    }
    if (this.client !== undefined) return;
    this.setStatus('connecting');
    // reconnectPeriod 0: we reconnect ourselves with back-off; resubscribe off: subscriptions are made on every connect.
    const client = mqtt.connect(this.settings.url, {
      ...this.settings.options,
      reconnectPeriod: 0,
      resubscribe: false,
    });
    this.client = client;
    client.on('connect', () => {
      this.scheduler.connected();
      this.setStatus('connected');
      for (const listener of this.connectionListeners) listener(true);
    });
    client.on('message', (topic, payload) => {
      // One listener failing (a write to a full disk) must not keep the message from the others, nor reach mqtt.js.
      for (const listener of this.messageListeners) {
        try {
          listener(topic, payload);
        } catch (error) {
          this.settings.log.error({ topic, err: (error as Error).message }, 'mqtt message not handled');
        }
      }
    });
    client.on('error', (error) => {
      this.current = { ...this.current, lastError: error.message };
      this.settings.log.warn({ err: error.message }, 'mqtt error');
    });
    client.on('close', () => this.onClose());
  }

  /** Closes the connection; `start` may open it again (a cluster node's link follows its leadership). */
  async stop(): Promise<void> {
    this.closing = undefined;
    const client = this.client;
    const wasConnected = this.connected;
    this.scheduler.reset();
    this.setStatus('stopped');
    this.client = undefined;
    this.rejectPending(new Error('link stopped'));
    // The parts on the link (the publisher, the shadow, the commands) wait for its next connect as after a loss.
    if (wasConnected) for (const listener of this.connectionListeners) listener(false);
    if (client !== undefined) await client.endAsync(true);
  }

  /**
   * Closes the link once `sent()` holds or `boundMs` has passed, at once when it is not connected. Meanwhile a loss is
   * not reconnected: another client with the same id (the node that leads now) may have taken the broker, and must keep
   * it. `start` meanwhile keeps the link open.
   */
  async closeAfter(sent: () => boolean, boundMs: number, checkMs = 100): Promise<void> {
    const closing = {};
    this.closing = closing;
    const deadline = this.settings.clock.now() + boundMs;
    while (this.closing === closing && this.connected && !sent() && this.settings.clock.now() < deadline)
      await new Promise<void>((resolve) => this.settings.clock.after(checkMs, resolve));
    // Opened again (`start`) or stopped meanwhile: nothing left to do here.
    if (this.closing === closing) await this.stop();
  }

  publish(topic: string, payload: string): Promise<void> {
    const client = this.client;
    if (client === undefined || !this.connected) return Promise.reject(new Error('not connected'));
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      this.pending.add(entry);
      client.publish(topic, payload, { qos: 1 }, (error) => {
        if (!this.pending.delete(entry)) return;
        if (error) reject(error);
        else resolve();
      });
    });
  }

  async subscribe(topics: readonly string[]): Promise<void> {
    const client = this.client;
    if (client === undefined || !this.connected) throw new Error('not connected');
    const granted = await client.subscribeAsync([...topics], { qos: 1 });
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length > 0) throw new Error(`subscription refused: ${refused.join(', ')}`);
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  onMessage(listener: (topic: string, payload: Buffer) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  private onClose(): void {
    if (this.client === undefined) return;
    const wasConnected = this.connected;
    this.setStatus('offline');
    this.rejectPending(new Error('connection closed'));
    if (wasConnected) for (const listener of this.connectionListeners) listener(false);
    if (this.closing !== undefined) return;
    const delay = this.scheduler.schedule(() => this.reconnectNow());
    if (delay !== undefined)
      this.settings.log.info({ delayMs: delay, attempt: this.scheduler.attempts }, 'mqtt reconnect scheduled');
  }

  private reconnectNow(): void {
    if (this.client === undefined) return;
    this.setStatus('connecting');
    this.client.reconnect();
  }

  private rejectPending(error: Error): void {
    const pending = [...this.pending];
    this.pending.clear();
    for (const entry of pending) entry.reject(error);
  }

  private setStatus(status: LinkStatus): void {
    if (this.current.status !== status) this.current = { ...this.current, status, since: this.settings.clock.now() };
  }
}
