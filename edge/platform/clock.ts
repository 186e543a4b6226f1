/** Time and timers for every part of the agent; the system clock runs on `Date.now` and `setTimeout`, tests drive a manual one. */

/** Time and timers; tests drive a manual clock (sim/charger's ManualClock fits). */
export interface Clock {
  /** Epoch ms; a plain function, so `clock.now` can be handed on as it is. */
  readonly now: () => number;
  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  readonly after: (ms: number, fn: () => void) => () => void;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
