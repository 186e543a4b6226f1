/** A SyncTransport of our own for unit tests: records publishes and lets the test deliver messages. */
import type { SyncTransport } from '../../../../edge/sync/sync-ports';

export class FakeTransport implements SyncTransport {
  connected = true;
  readonly published: { topic: string; payload: string }[] = [];
  readonly subscribed: string[] = [];
  private readonly connection = new Set<(connected: boolean) => void>();
  private readonly messages = new Set<(topic: string, payload: Buffer) => void>();

  publish(topic: string, payload: string): Promise<void> {
    this.published.push({ topic, payload });
    return Promise.resolve();
  }

  subscribe(topics: readonly string[]): Promise<void> {
    this.subscribed.push(...topics);
    return Promise.resolve();
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connection.add(listener);
    return () => this.connection.delete(listener);
  }

  onMessage(listener: (topic: string, payload: Buffer) => void): () => void {
    this.messages.add(listener);
    return () => this.messages.delete(listener);
  }

  deliver(topic: string, payload: string | Buffer): void {
    for (const listener of this.messages) listener(topic, typeof payload === 'string' ? Buffer.from(payload) : payload);
  }
}
