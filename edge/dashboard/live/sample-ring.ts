/**
 * A day of samples in memory for the dashboard's charts: one per `sampleEveryMs` in a fixed-size ring (a restart
 * starts empty), read back per range in at most `maxPoints` buckets of consecutive samples (each history says how a
 * bucket becomes one point).
 */
export const RANGE_MS = { hour: 3600_000, day: 24 * 3600_000 } as const;

export class SampleRing<T extends { readonly at: number }> {
  private readonly ring: (T | undefined)[];
  private next = 0;
  private last: T | undefined;

  constructor(readonly sampleEveryMs: number) {
    this.ring = new Array<T | undefined>(Math.ceil(RANGE_MS.day / sampleEveryMs));
  }

  /** Keeps `sample` unless the previous kept one is younger than the sampling interval; true when kept. */
  record(sample: T): boolean {
    if (this.last !== undefined && sample.at - this.last.at < this.sampleEveryMs) return false;
    this.ring[this.next] = sample;
    this.next = (this.next + 1) % this.ring.length;
    this.last = sample;
    return true;
  }

  /** Samples from `from` on, oldest first, in buckets of equal count: at most `maxPoints` of them. */
  since(from: number, maxPoints: number): { buckets: T[][]; stepMs: number } {
    const kept: T[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const sample = this.ring[(this.next + i) % this.ring.length];
      if (sample !== undefined && sample.at >= from) kept.push(sample);
    }
    const per = Math.max(1, Math.ceil(kept.length / maxPoints));
    const buckets: T[][] = [];
    for (let i = 0; i < kept.length; i += per) buckets.push(kept.slice(i, i + per));
    return { buckets, stepMs: this.sampleEveryMs * per };
  }
}
