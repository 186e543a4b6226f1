/**
 * The highest period average per month the site would have imported with the chargers uncapped (estimate, see
 * `shared/demand/uncontrolled-demand.ts`), counted over the same periods as peak-demand control. Kept in memory: after
 * a restart the month counts again from then, and the cloud keeps the highest it was told for each month.
 */
import type { DemandAnswer } from '../../shared/dashboard/demand-answer';

type Period = NonNullable<DemandAnswer['period']>;

const MS_PER_HOUR = 3_600_000;
/** A period seen for less than this share of its length is not scored (a start-up's few seconds say little). */
const MIN_SEEN_SHARE = 0.5;
const MONTHS_KEPT = 13;

export class UncontrolledPeak {
  private period: Period | undefined;
  private wh = 0;
  private seenMs = 0;
  private last: { at: number; watts: number } | undefined;
  private readonly peaks = new Map<string, number>();

  /** The uncontrolled import at `at` (W; undefined while the grid meter is lost), in the period being counted. */
  add(at: number, watts: number | undefined, period: Period): void {
    if (this.period !== undefined && period.start !== this.period.start) this.close();
    if (this.period === undefined || period.start !== this.period.start) {
      this.period = { ...period };
      this.last = undefined;
    }
    if (this.last !== undefined && at > this.last.at) {
      this.wh += (this.last.watts * (at - this.last.at)) / MS_PER_HOUR;
      this.seenMs += at - this.last.at;
    }
    this.last = watts === undefined ? undefined : { at, watts };
  }

  /** The month's highest uncontrolled period average so far (kW), 0 before a period was scored. */
  monthPeakKw(month: string): number {
    return this.peaks.get(month) ?? 0;
  }

  private close(): void {
    const period = this.period;
    if (period !== undefined && this.seenMs >= MIN_SEEN_SHARE * (period.end - period.start)) {
      const kw = this.wh / (this.seenMs / MS_PER_HOUR) / 1000;
      if (kw > (this.peaks.get(period.month) ?? 0)) this.peaks.set(period.month, kw);
      for (const month of [...this.peaks.keys()].sort().slice(0, -MONTHS_KEPT)) this.peaks.delete(month);
    }
    this.wh = 0;
    this.seenMs = 0;
  }
}
