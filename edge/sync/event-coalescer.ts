/**
 * Bounds the events one source (a charger) puts in the outbox: up to `burst` events per window go out at once; beyond
 * that the latest event of each kind is held, counted, and sent once when the window ends (or on stop), so a flapping
 * charger costs a few events a minute and its last state still reaches the cloud.
 */
import type { EventBody } from '../../shared/sync/sync-messages';
import type { Clock } from '../platform/clock';

export interface CoalescerOptions {
  readonly burst: number;
  readonly windowMs: number;
}

interface Held {
  readonly body: EventBody;
  readonly at: number;
  readonly count: number;
}

interface Window {
  readonly startedAt: number;
  sent: number;
  readonly held: Map<EventBody['kind'], Held>;
  cancel?: () => void;
}

export class EventCoalescer {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly send: (body: EventBody, at: number) => void,
    private readonly clock: Clock,
    private readonly options: CoalescerOptions,
  ) {}

  offer(source: string, body: EventBody, at: number): void {
    let window = this.windows.get(source);
    if (window === undefined || (window.held.size === 0 && at - window.startedAt >= this.options.windowMs)) {
      window = { startedAt: at, sent: 0, held: new Map() };
      this.windows.set(source, window);
    }
    if (window.sent < this.options.burst) {
      window.sent++;
      return this.send(body, at);
    }
    const held = window.held.get(body.kind);
    window.held.set(body.kind, { body, at, count: (held?.count ?? 0) + 1 });
    window.cancel ??= this.clock.after(window.startedAt + this.options.windowMs - this.clock.now(), () =>
      this.flush(source),
    );
  }

  /** Sends everything held now (the agent is stopping). */
  flushAll(): void {
    for (const source of [...this.windows.keys()]) this.flush(source);
  }

  private flush(source: string): void {
    const window = this.windows.get(source);
    if (window === undefined) return;
    this.windows.delete(source);
    window.cancel?.();
    const seconds = Math.round(this.options.windowMs / 1000);
    for (const { body, at, count } of [...window.held.values()].sort((a, b) => a.at - b.at)) {
      const message = `${body.message} (latest of ${count} in ${seconds} s, coalesced)`;
      this.send({ ...body, message: message.slice(0, 500), details: { ...body.details, coalesced: count } }, at);
    }
  }
}
