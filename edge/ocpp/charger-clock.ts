/**
 * Sanity check of the times chargers put in StartTransaction, StopTransaction and MeterValues. A charger that was
 * offline replays what it queued with the times it happened, and those are the times to keep; but a charger clock can
 * be wrong (never set, reset to 1970 after a power cut, hours ahead), so a time further ahead than `aheadMs`, or older
 * than the longest plausible offline queue (`behindMs`), is replaced by the time of receipt and says so. Why no check
 * against the charger's boot: queued messages rightly predate the BootNotification we receive after reconnecting.
 */
import type { ChargerTime } from '../control/charger-time';

export const CLOCK_LIMITS = {
  /** Clocks drift, and chargers set theirs from our Heartbeat answer: minutes ahead are still the charger's time. */
  aheadMs: 5 * 60_000,
  /** Chargers keep an offline queue for days, rarely weeks. */
  behindMs: 30 * 24 * 3_600_000,
} as const;

/** The time to keep for `reportedAt` (the charger's clock) received at `receivedAt` (ours). */
export function checkChargerTime(
  reportedAt: number,
  receivedAt: number,
  limits: typeof CLOCK_LIMITS = CLOCK_LIMITS,
): ChargerTime {
  if (reportedAt > receivedAt + limits.aheadMs) return { at: receivedAt, receivedAt, source: 'receivedClockAhead' };
  if (reportedAt < receivedAt - limits.behindMs) return { at: receivedAt, receivedAt, source: 'receivedClockBehind' };
  return { at: reportedAt, receivedAt, source: 'charger' };
}

export interface ClockLog {
  warn(data: object, message: string): void;
  info(data: object, message: string): void;
}

/** One connection's check: logs when the charger's clock turns implausible and when it is plausible again, not per message. */
export class ChargerClockCheck {
  private skewed = false;

  constructor(private readonly log: ClockLog) {}

  check(method: string, reportedAt: number, receivedAt: number): ChargerTime {
    const time = checkChargerTime(reportedAt, receivedAt);
    const skewed = time.source !== 'charger';
    if (skewed !== this.skewed) {
      this.skewed = skewed;
      const data = {
        method,
        reported: new Date(reportedAt).toISOString(),
        received: new Date(receivedAt).toISOString(),
        source: time.source,
      };
      if (skewed) this.log.warn(data, 'charger clock skewed: its timestamps are replaced by the time of receipt');
      else this.log.info(data, 'charger clock plausible again: its timestamps are kept');
    }
    return time;
  }
}
