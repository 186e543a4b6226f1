/**
 * The site's load over the last day for the monitoring chart: one sample per `sampleEveryMs` in a fixed-size ring
 * (in memory: a restart starts an empty chart), read back per range and thinned to at most `maxPoints`.
 */
import type { LoadSample } from '../../../shared/dashboard/api-answers';

export const RANGE_MS = { hour: 3600_000, day: 24 * 3600_000 } as const;

export class LoadHistory {
  private readonly ring: (LoadSample | undefined)[];
  private next = 0;
  private last: LoadSample | undefined;

  constructor(readonly sampleEveryMs = 10_000) {
    this.ring = new Array<LoadSample | undefined>(Math.ceil(RANGE_MS.day / sampleEveryMs));
  }

  /** Keeps `sample` unless the previous kept one is younger than the sampling interval; true when kept. */
  record(sample: LoadSample): boolean {
    if (this.last !== undefined && sample.at - this.last.at < this.sampleEveryMs) return false;
    this.ring[this.next] = sample;
    this.next = (this.next + 1) % this.ring.length;
    this.last = sample;
    return true;
  }

  /** Samples from `from` on, oldest first; with more than `maxPoints`, each bucket keeps its highest values. */
  since(from: number, maxPoints: number): { samples: LoadSample[]; stepMs: number } {
    const kept: LoadSample[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const sample = this.ring[(this.next + i) % this.ring.length];
      if (sample !== undefined && sample.at >= from) kept.push(sample);
    }
    const per = Math.ceil(kept.length / maxPoints);
    if (per <= 1) return { samples: kept, stepMs: this.sampleEveryMs };
    const thinned: LoadSample[] = [];
    for (let i = 0; i < kept.length; i += per) thinned.push(peakOf(kept.slice(i, i + per)));
    return { samples: thinned, stepMs: this.sampleEveryMs * per };
  }
}

/** A bucket as one sample: the last time, the highest load per phase and limits (a peak must not vanish from the chart). */
function peakOf(bucket: readonly LoadSample[]): LoadSample {
  const max = (pick: (s: LoadSample) => number | null) => {
    const values = bucket.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  const perPhase = (pick: (s: LoadSample) => readonly number[] | null): [number, number, number] | null => {
    const phases = [0, 1, 2].map((p) => max((s) => pick(s)?.[p] ?? null));
    return phases.every((v) => v === null) ? null : [phases[0] ?? 0, phases[1] ?? 0, phases[2] ?? 0];
  };
  return {
    at: bucket.at(-1)!.at,
    gridAmps: perPhase((s) => s.gridAmps),
    evAmps: perPhase((s) => s.evAmps) ?? [0, 0, 0],
    budgetAmps: max((s) => s.budgetAmps) ?? 0,
    fuseAmps: max((s) => s.fuseAmps) ?? 0,
  };
}
