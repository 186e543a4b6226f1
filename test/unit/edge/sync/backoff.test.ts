import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../edge/platform/clock';
import { ReconnectScheduler, backoffDelayMs } from '../../../../edge/sync/backoff';

const settings = { initialDelayMs: 1000, maxDelayMs: 60_000 };

describe('backoffDelayMs', () => {
  it.each([
    [0, 0, 500],
    [0, 1, 1000],
    [3, 0, 4000],
    [3, 1, 8000],
    [10, 0, 30_000],
    [10, 1, 60_000],
  ])('should give attempt %i with random %f a delay of %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, settings, () => random)).toBe(expected);
  });
});

describe('ReconnectScheduler', () => {
  const clock: Clock = {
    now: () => Date.now(),
    after(ms, fn) {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('should double the wait after each failure and start again after a success', () => {
    const scheduler = new ReconnectScheduler(settings, clock, () => 1);
    const reconnect = vi.fn();
    expect(scheduler.schedule(reconnect)).toBe(1000);
    vi.advanceTimersByTime(999);
    expect(reconnect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reconnect).toHaveBeenCalledTimes(1);
    expect(scheduler.schedule(reconnect)).toBe(2000);
    vi.advanceTimersByTime(2000);
    expect(scheduler.schedule(reconnect)).toBe(4000);
    scheduler.connected();
    vi.advanceTimersByTime(10_000);
    expect(reconnect).toHaveBeenCalledTimes(2);
    expect(scheduler.schedule(reconnect)).toBe(1000);
  });

  it('should keep one reconnect pending at a time', () => {
    const scheduler = new ReconnectScheduler(settings, clock, () => 0);
    const reconnect = vi.fn();
    scheduler.schedule(reconnect);
    expect(scheduler.schedule(reconnect)).toBeUndefined();
    vi.advanceTimersByTime(60_000);
    expect(reconnect).toHaveBeenCalledTimes(1);
  });
});
