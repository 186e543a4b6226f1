/**
 * The link to the operator's CSMS over the last day, for the monitoring page's chart (docs/csms.md): the site's CSMS
 * link health at each kept load sample, in memory (`sample-ring.ts`), read back as chart points: per bucket the share
 * of chargers linked (mean) and the largest backlog, as the cloud draws its telemetry.
 */
import type { CsmsLinkPoint } from '../../../shared/dashboard/api-answers';
import { csmsLinkFigures } from '../../../shared/sync/csms-link-figures';
import type { CsmsLinkHealth } from '../../../shared/sync/sync-messages';
import { SampleRing } from './sample-ring';

interface HealthSample {
  readonly at: number;
  readonly health: CsmsLinkHealth;
}

const pointOf = (bucket: readonly HealthSample[]): CsmsLinkPoint => ({
  at: bucket.at(-1)!.at,
  ...csmsLinkFigures(bucket.map((s) => s.health)),
});

export class CsmsLinkHistory {
  private readonly ring: SampleRing<HealthSample>;

  constructor(sampleEveryMs = 10_000) {
    this.ring = new SampleRing(sampleEveryMs);
  }

  /** Keeps the health at `at` (unless the previous kept one is younger than the interval); its point when kept. */
  record(at: number, health: CsmsLinkHealth): CsmsLinkPoint | undefined {
    const sample = { at, health };
    return this.ring.record(sample) ? pointOf([sample]) : undefined;
  }

  /** Points from `from` on, oldest first, at most `maxPoints`. */
  since(from: number, maxPoints: number): { points: CsmsLinkPoint[]; stepMs: number } {
    const { buckets, stepMs } = this.ring.since(from, maxPoints);
    return { points: buckets.map(pointOf), stepMs };
  }
}
