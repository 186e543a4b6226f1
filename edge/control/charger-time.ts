/** A time a charger reported, as the control loop keeps it, and the rule that a stop never predates its start. */

/** Where a stored time came from: the charger, or the time of receipt because the charger's clock was ahead or behind. */
export type TimeSource = 'charger' | 'receivedClockAhead' | 'receivedClockBehind';

/** A time a charger reported, after the check: `at` is the one to use, `receivedAt` when it arrived. */
export interface ChargerTime {
  readonly at: number;
  readonly receivedAt: number;
  readonly source: TimeSource;
}

/** `time`, unless the charger dates it before `earliest` (its own start of the same transaction): then the time of receipt. */
export function notBefore(time: ChargerTime, earliest: number): ChargerTime {
  return time.at >= earliest
    ? time
    : { at: time.receivedAt, receivedAt: time.receivedAt, source: 'receivedClockBehind' };
}
