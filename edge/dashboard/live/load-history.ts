/**
 * The site's load over the last day for the monitoring chart (`sample-ring.ts`: in memory, a restart starts an empty
 * chart), read back per range and thinned to at most `maxPoints`, each bucket keeping its peaks.
 */
import type { LoadSample } from '../../../shared/dashboard/api-answers';
import { SampleRing } from './sample-ring';

export class LoadHistory {
  private readonly ring: SampleRing<LoadSample>;

  constructor(readonly sampleEveryMs = 10_000) {
    this.ring = new SampleRing(sampleEveryMs);
  }

  /** Keeps `sample` unless the previous kept one is younger than the sampling interval; true when kept. */
  record(sample: LoadSample): boolean {
    return this.ring.record(sample);
  }

  /** Samples from `from` on, oldest first; with more than `maxPoints`, each bucket keeps its highest values. */
  since(from: number, maxPoints: number): { samples: LoadSample[]; stepMs: number } {
    const { buckets, stepMs } = this.ring.since(from, maxPoints);
    return { samples: buckets.map((bucket) => (bucket.length === 1 ? bucket[0]! : peakOf(bucket))), stepMs };
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
