/**
 * A virtual charger's reconnect back-off, as a real charger has one: once its connection closes, it dials the same URL
 * again after `firstRetryMs`, doubling after each failed attempt up to `maxRetryMs`, plus a random wait of up to
 * `randomRangeMs` each time (so a fleet that lost its central system together does not dial back in step), and boots
 * again (BootNotification, StatusNotification) each time it gets through. This is OCPP 2.0.1's scheme
 * (RetryBackOffWaitMinimum, doubled RetryBackOffRepeatTimes times, plus up to RetryBackOffRandomRange); OCPP 1.6
 * chargers have the same or fixed intervals. The default, 250 ms doubling to 2 s without a random part, is what the
 * cluster tests use; `REAL_CHARGER_BACKOFF` is a real charger's (docs/benchmarks.md, the failover bench).
 */
import type { SimClock } from './sim-clock';
import type { VirtualCharger } from './virtual-charger';

export interface ReconnectBackOff {
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
  /** Up to this much is added to each wait, at random; none when absent. */
  readonly randomRangeMs?: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackOff = { firstRetryMs: 250, maxRetryMs: 2_000 };

/**
 * A real charger's back-off, on the slow side of what chargers are configured with: 15 s, doubled up to 3 times
 * (120 s), plus up to 5 s at random (RetryBackOffWaitMinimum 15, RetryBackOffRepeatTimes 3, RetryBackOffRandomRange
 * 5; EVerest's OCPP 1.6 defaults are 3 s, 3 and 10 s).
 */
export const REAL_CHARGER_BACKOFF: ReconnectBackOff = {
  firstRetryMs: 15_000,
  maxRetryMs: 120_000,
  randomRangeMs: 5_000,
};

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
    /** A number in [0, 1), for the random part of each wait. */
    private readonly random: () => number = Math.random,
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
    const delayMs =
      Math.min(this.backOff.maxRetryMs, this.backOff.firstRetryMs * 2 ** attempt) +
      this.random() * (this.backOff.randomRangeMs ?? 0);
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
