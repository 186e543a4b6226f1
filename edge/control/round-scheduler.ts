/**
 * When the loop's rounds run: a request waits out the debounce, one round runs at a time (requests during one run one
 * more after it), a wake asks for a round at a set instant, and waiters hear when no round is pending or running. Its
 * own file so the loop (load-controller.ts) keeps what a round does apart from when it runs.
 */
import type { Clock } from '../platform/clock';

export interface RoundSchedulerDeps {
  readonly clock: Clock;
  readonly debounceMs: number;
  readonly stopped: () => boolean;
  /** One round; it catches its own errors. */
  readonly round: () => Promise<void>;
}

export class RoundScheduler {
  private cancelRound: (() => void) | undefined;
  private cancelWake = (): void => {};
  private running: Promise<void> | undefined;
  private dirty = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: RoundSchedulerDeps) {}

  /** Asks for a round after the debounce (or `delayMs`); requests during a round run one more round after it. */
  request(delayMs = this.deps.debounceMs): void {
    if (this.deps.stopped()) return;
    if (this.running !== undefined) {
      this.dirty = true;
      return;
    }
    if (this.cancelRound !== undefined) {
      if (delayMs > 0) return;
      this.cancelRound();
    }
    this.cancelRound = this.deps.clock.after(delayMs, () => {
      this.cancelRound = undefined;
      this.running = this.deps.round().finally(() => {
        this.running = undefined;
        if (this.dirty) {
          this.dirty = false;
          this.request();
        }
        if (this.running === undefined && this.cancelRound === undefined)
          this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    });
  }

  /** One more round after the one running (it changed what it allocated from). */
  again(): void {
    this.dirty = true;
  }

  /** One round at `at`: a failed lease may be retried, or a reserved lease expires. */
  wakeAt(at: number | undefined): void {
    this.cancelWake();
    this.cancelWake = () => {};
    if (at === undefined || this.deps.stopped()) return;
    this.cancelWake = this.deps.clock.after(Math.max(0, at - this.deps.clock.now()), () => this.request(0));
  }

  /** Resolves once no round is pending or running (tests and benchmarks). */
  idle(): Promise<void> {
    if (this.running === undefined && this.cancelRound === undefined) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the wake set by `wakeAt`. */
  dropWake(): void {
    this.cancelWake();
  }

  /** Drops a round waiting out its debounce. */
  dropPending(): void {
    this.cancelRound?.();
    this.cancelRound = undefined;
  }

  /** The round in flight, if any. */
  inFlight(): Promise<void> | undefined {
    return this.running;
  }
}
