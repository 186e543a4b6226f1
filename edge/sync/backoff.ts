/** Reconnect back-off: exponential with "equal jitter", so that a fleet that lost the broker does not return in step. */
import type { Clock } from '../platform/clock';

export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** Delay before reconnect attempt `attempt` (0-based): half of `min(max, initial * 2^attempt)` plus a random share of the other half. */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Schedules one reconnect at a time; the attempt count resets once a connection succeeds. */
export class ReconnectScheduler {
  private attempt = 0;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly settings: BackoffSettings,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  get attempts(): number {
    return this.attempt;
  }

  get pending(): boolean {
    return this.cancel !== undefined;
  }

  /** Runs `reconnect` after the next back-off delay, unless one is already pending; returns the delay. */
  schedule(reconnect: () => void): number | undefined {
    if (this.cancel !== undefined) return undefined;
    const delay = backoffDelayMs(this.attempt, this.settings, this.random);
    this.attempt++;
    this.cancel = this.clock.after(delay, () => {
      this.cancel = undefined;
      reconnect();
    });
    return delay;
  }

  connected(): void {
    this.attempt = 0;
    this.reset();
  }

  reset(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
