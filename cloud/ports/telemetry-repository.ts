/** Port: telemetry samples of a site (grid meter and allocation), kept for a retention period. */
import type { CsmsLinkHealth } from '../../shared/sync/sync-messages';
import type { PhaseAmps } from '../../shared/units';

export interface TelemetrySample {
  readonly tenantId: string;
  readonly siteId: string;
  /** Epoch ms of the measurement. */
  readonly at: number;
  /** The edge's message id: writing the same sample twice stores it once. */
  readonly messageId: string;
  /** Measured at the grid connection, per grid phase. */
  readonly gridAmps?: PhaseAmps;
  /** Sum of the chargers' allocations, per grid phase. */
  readonly allocatedAmps?: PhaseAmps;
  /** Power drawn by the chargers. */
  readonly chargingWatts?: number;
  readonly activeConnectors?: number;
  /** A site in front of an operator's CSMS: its links to it and what waits for it. */
  readonly csms?: CsmsLinkHealth;
}

export interface TelemetryRepository {
  /** Stores samples idempotently (same site, time and message id overwrite). */
  put(samples: readonly TelemetrySample[]): Promise<void>;
  /** Samples with `from <= at < to`, oldest first; at most `maxSamples` (the newest beyond it are not read). */
  range(
    tenantId: string,
    siteId: string,
    range: { from: number; to: number; maxSamples: number },
  ): Promise<TelemetrySample[]>;
}
