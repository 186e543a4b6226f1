/** Counts events per second over the last minute, for the dashboard (enqueue and send rates). */

const WINDOW_SECONDS = 60;

export class RateMeter {
  private readonly buckets = new Float64Array(WINDOW_SECONDS);
  private readonly stamps = new Float64Array(WINDOW_SECONDS).fill(-1);

  constructor(private readonly now: () => number) {}

  add(count = 1): void {
    const second = Math.floor(this.now() / 1000);
    const slot = second % WINDOW_SECONDS;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot]! += count;
  }

  /** Events per second, averaged over the last 60 s. */
  perSecond(): number {
    const second = Math.floor(this.now() / 1000);
    let sum = 0;
    for (let k = 0; k < WINDOW_SECONDS; k++) if (this.stamps[k]! > second - WINDOW_SECONDS) sum += this.buckets[k]!;
    return sum / WINDOW_SECONDS;
  }
}
