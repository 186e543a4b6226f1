/**
 * A stretch of CSMS link health samples as one chart point (docs/csms.md): the share of chargers linked, averaged over
 * the samples so that a short outage inside a bucket still lowers it, and the largest backlog, so that a peak stays
 * visible. The cloud's telemetry buckets and the agent's own history both draw it this way.
 */
import type { CsmsLinkHealth } from './sync-messages';

export interface CsmsLinkFigures {
  /** Mean over the samples of the chargers linked, in percent; null when no sample had a charger. */
  readonly linkedPercent: number | null;
  /** The most messages queued for the CSMS in any sample. */
  readonly backlogMessages: number;
}

/** The figures of a non-empty run of samples. */
export function csmsLinkFigures(samples: readonly CsmsLinkHealth[]): CsmsLinkFigures {
  let percentSum = 0;
  let withChargers = 0;
  let backlogMessages = 0;
  for (const sample of samples) {
    backlogMessages = Math.max(backlogMessages, sample.backlogMessages);
    if (sample.chargers === 0) continue;
    percentSum += (100 * Math.min(sample.connected, sample.chargers)) / sample.chargers;
    withChargers++;
  }
  return { linkedPercent: withChargers === 0 ? null : percentSum / withChargers, backlogMessages };
}
