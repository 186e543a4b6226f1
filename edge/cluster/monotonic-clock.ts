/**
 * The leadership's clock: its fence deadline compares times taken on this machine only, so it must not jump when the
 * wall clock is set (NTP, an operator): `performance.now()` is monotonic, started at the wall time the process began.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';

export const monotonicClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  after: systemClock.after,
};
