/** Downsamples telemetry for charts: equal time buckets, averages and peaks per bucket; empty buckets are left out. */
import { csmsLinkFigures, type CsmsLinkFigures } from '../../shared/sync/csms-link-figures';
import type { CsmsLinkHealth } from '../../shared/sync/sync-messages';
import type { PhaseAmps } from '../../shared/units';
import type { TelemetrySample } from '../ports/telemetry-repository';

export interface TelemetryPoint {
  /** Start of the bucket (epoch ms). */
  readonly at: number;
  readonly samples: number;
  readonly gridAmps: PhaseAmps | null;
  /** Highest reading per phase within the bucket, so that short peaks stay visible. */
  readonly gridAmpsMax: PhaseAmps | null;
  readonly allocatedAmps: PhaseAmps | null;
  readonly chargingWatts: number | null;
  readonly chargingWattsMax: number | null;
  /** The bucket's latest CSMS link health, for a site in front of an operator's CSMS. */
  readonly csms?: CsmsLinkHealth;
  /** Over the bucket: the share of chargers linked to the CSMS (mean) and the largest backlog, for the link's chart. */
  readonly csmsLink?: CsmsLinkFigures;
}

interface Accumulator {
  samples: number;
  grid: { n: number; sum: [number, number, number]; max: [number, number, number] };
  allocated: { n: number; sum: [number, number, number] };
  watts: { n: number; sum: number; max: number };
  csms: { at: number; health: CsmsLinkHealth } | undefined;
  csmsSamples: CsmsLinkHealth[];
}

const newAccumulator = (): Accumulator => ({
  samples: 0,
  grid: { n: 0, sum: [0, 0, 0], max: [0, 0, 0] },
  allocated: { n: 0, sum: [0, 0, 0] },
  watts: { n: 0, sum: 0, max: 0 },
  csms: undefined,
  csmsSamples: [],
});

const mean = (sum: readonly number[], n: number): PhaseAmps => [sum[0]! / n, sum[1]! / n, sum[2]! / n];

/** Bucket width (ms) for `points` buckets over [from, to), at least 1 ms. */
export function bucketWidthMs(from: number, to: number, points: number): number {
  return Math.max(1, Math.ceil((to - from) / points));
}

/** At most `points` points over [from, to) from samples in any order. */
export function downsampleTelemetry(
  samples: readonly TelemetrySample[],
  range: { from: number; to: number; points: number },
): TelemetryPoint[] {
  const width = bucketWidthMs(range.from, range.to, range.points);
  const buckets = new Map<number, Accumulator>();
  for (const sample of samples) {
    if (sample.at < range.from || sample.at >= range.to) continue;
    const index = Math.floor((sample.at - range.from) / width);
    let acc = buckets.get(index);
    if (!acc) buckets.set(index, (acc = newAccumulator()));
    acc.samples++;
    if (sample.gridAmps) {
      acc.grid.n++;
      for (let p = 0; p < 3; p++) {
        const value = sample.gridAmps[p as 0 | 1 | 2];
        acc.grid.sum[p] = acc.grid.sum[p]! + value;
        acc.grid.max[p] = Math.max(acc.grid.max[p]!, value);
      }
    }
    if (sample.allocatedAmps) {
      acc.allocated.n++;
      for (let p = 0; p < 3; p++) acc.allocated.sum[p] = acc.allocated.sum[p]! + sample.allocatedAmps[p as 0 | 1 | 2];
    }
    if (sample.csms !== undefined) {
      acc.csmsSamples.push(sample.csms);
      if (acc.csms === undefined || sample.at >= acc.csms.at) acc.csms = { at: sample.at, health: sample.csms };
    }
    if (sample.chargingWatts !== undefined) {
      acc.watts.n++;
      acc.watts.sum += sample.chargingWatts;
      acc.watts.max = Math.max(acc.watts.max, sample.chargingWatts);
    }
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, acc]) => ({
      at: range.from + index * width,
      samples: acc.samples,
      gridAmps: acc.grid.n > 0 ? mean(acc.grid.sum, acc.grid.n) : null,
      gridAmpsMax: acc.grid.n > 0 ? ([...acc.grid.max] as const) : null,
      allocatedAmps: acc.allocated.n > 0 ? mean(acc.allocated.sum, acc.allocated.n) : null,
      chargingWatts: acc.watts.n > 0 ? acc.watts.sum / acc.watts.n : null,
      chargingWattsMax: acc.watts.n > 0 ? acc.watts.max : null,
      ...(acc.csms !== undefined && { csms: acc.csms.health, csmsLink: csmsLinkFigures(acc.csmsSamples) }),
    }));
}
