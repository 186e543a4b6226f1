/** Time for the simulator: the real clock, or a manual one that tests and benchmarks drive. */

export interface SimClock {
  now(): number;
  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const realClock: SimClock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface Timer {
  readonly at: number;
  readonly fn: () => void;
}

/** A clock that only moves when told to; due timers run in time order. */
export class ManualClock implements SimClock {
  private current: number;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2025, 0, 1, 12)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), fn };
    // Kept sorted by due time (then creation), so advancing pops from the front.
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.timers[mid]!.at <= timer.at) low = mid + 1;
      else high = mid;
    }
    this.timers.splice(low, 0, timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, at its own time. */
  advance(ms: number): void {
    const end = this.current + ms;
    while (this.timers.length > 0 && this.timers[0]!.at <= end) {
      const next = this.timers.shift()!;
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = end;
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
