/**
 * A virtual charger's reconnect back-off, as a real charger has one: once its connection closes, it dials the same URL
 * again after `firstRetryMs`, doubling after each failed attempt up to `maxRetryMs`, and boots again (BootNotification,
 * StatusNotification) each time it gets through. The default, 250 ms doubling to 2 s, is what the cluster tests and the
 * failover bench use (docs/benchmarks.md); a real charger's back-off is often tens of seconds, which adds to the time it
 * takes to re-attach to a new master one for one.
 */
import type { SimClock } from './sim-clock';
import type { VirtualCharger } from './virtual-charger';

export interface ReconnectBackOff {
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackOff = { firstRetryMs: 250, maxRetryMs: 2_000 };

/** Told of each attempt's outcome. */
export interface ReconnectListener {
  connected(): void;
  failed(error: unknown): void;
}

export class ChargerReconnect {
  private reconnecting = false;
  private stopped = false;
  private cancelRetry = () => {};

  constructor(
    private readonly charger: VirtualCharger,
    private readonly clock: SimClock,
    private readonly listener: ReconnectListener,
    private readonly backOff: ReconnectBackOff = DEFAULT_RECONNECT_BACKOFF,
  ) {
    charger.client.on('close', () => {
      if (!this.stopped && !this.reconnecting) this.retry(0);
    });
  }

  /** No more attempts (the charger is being closed for good). */
  stop(): void {
    this.stopped = true;
    this.cancelRetry();
  }

  private retry(attempt: number): void {
    this.reconnecting = true;
    const delayMs = Math.min(this.backOff.maxRetryMs, this.backOff.firstRetryMs * 2 ** attempt);
    this.cancelRetry = this.clock.after(delayMs, () => {
      this.charger.connect().then(
        () => {
          this.reconnecting = false;
          this.listener.connected();
        },
        (error: unknown) => {
          this.listener.failed(error);
          if (!this.stopped) this.retry(attempt + 1);
        },
      );
    });
  }
}
