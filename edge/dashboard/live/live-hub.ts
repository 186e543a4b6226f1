/**
 * Fans live updates out to every open dashboard (`/api/live`, server-sent events). Each topic is sent at most once
 * per `minGapMs`; a burst in between is folded into one trailing update with the newest data.
 */
import type { Clock } from '../../platform/clock';

export type LiveTopic = 'allocations' | 'devices' | 'sample' | 'event' | 'demand';
export type LiveListener = (topic: LiveTopic, data: unknown) => void;

export class LiveHub {
  private readonly listeners = new Set<LiveListener>();
  private readonly lastSentAt = new Map<LiveTopic, number>();
  private readonly pending = new Map<LiveTopic, () => unknown>();
  private readonly timers = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly minGapMs = 1000,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends what `build` returns now, or once the topic's gap has passed (then with the newest `build`). */
  publish(topic: LiveTopic, build: () => unknown): void {
    if (this.listeners.size === 0) return;
    const waiting = this.pending.has(topic);
    this.pending.set(topic, build);
    if (waiting) return;
    const wait = (this.lastSentAt.get(topic) ?? -Infinity) + this.minGapMs - this.clock.now();
    if (wait <= 0) this.flush(topic);
    else {
      const cancel = this.clock.after(wait, () => {
        this.timers.delete(cancel);
        this.flush(topic);
      });
      this.timers.add(cancel);
    }
  }

  /** Drops every listener and pending update (the dashboard stops). */
  close(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.pending.clear();
    this.listeners.clear();
  }

  /** Sends every item at once (events must not be folded together). */
  publishEach(topic: LiveTopic, data: unknown): void {
    for (const listener of this.listeners) listener(topic, data);
  }

  private flush(topic: LiveTopic): void {
    const build = this.pending.get(topic);
    this.pending.delete(topic);
    if (build === undefined || this.listeners.size === 0) return;
    this.lastSentAt.set(topic, this.clock.now());
    const data = build();
    for (const listener of this.listeners) listener(topic, data);
  }
}
