/**
 * Start-up waits for each grid meter's first poll before the control loop's first round: a round before it found no
 * reading and reported the meter lost (a critical event that stayed on the fleet's alerts) at every start. The first
 * poll runs at once and is bounded by its timeout and retries; a meter that does not answer yields an invalid sample,
 * and `boundMs` caps the wait in any case.
 */
import type { Clock } from '../platform/clock';
import type { GridMeter } from './grid-meter';
import type { MeterConfig } from './meter-config';

/** Resolves once every meter has emitted a sample (valid or not), or after `boundMs`. Subscribe before `start()`. */
export function firstSamples(meters: readonly GridMeter[], boundMs: number, clock: Clock): Promise<void> {
  const each = meters.map(
    (meter) =>
      new Promise<void>((resolve) => {
        const unsubscribe = meter.subscribe(() => {
          unsubscribe();
          resolve();
        });
      }),
  );
  let cancel = () => {};
  const bound = new Promise<void>((resolve) => (cancel = clock.after(boundMs, resolve)));
  return Promise.race([Promise.all(each).then(() => undefined), bound]).finally(() => cancel());
}

/** The longest a first poll of these meters takes: every attempt at its timeout, plus one interval for the connect. */
export function firstPollBoundMs(meters: readonly MeterConfig[]): number {
  return Math.max(0, ...meters.map((m) => m.poll.timeoutMs * (m.poll.retries + 1) + m.poll.intervalMs));
}
