/** Port: each site's peak-demand months as its agent reported them (docs/demand-control.md, "In the cloud"). */

export interface DemandMonthRecord {
  readonly tenantId: string;
  readonly siteId: string;
  /** `2026-12`, in the site's time zone. */
  readonly month: string;
  readonly periodMinutes: number;
  /** The month's highest certain period average with control (kW). */
  readonly peakKw: number;
  /** When the period of that peak started (epoch ms). */
  readonly peakAt?: number;
  /** The agent's estimate of the month's highest period average without control (kW). */
  readonly uncontrolledPeakKw: number;
  /** When the latest report was measured (epoch ms). */
  readonly reportedAt: number;
}

export interface DemandMonthRepository {
  /** Merges a report into its month: each peak keeps the highest value reported (a restarted agent may report less). */
  report(record: DemandMonthRecord): Promise<void>;
  /** The site's months, oldest first, at most `maxMonths` of the latest. */
  list(tenantId: string, siteId: string, maxMonths: number): Promise<DemandMonthRecord[]>;
}
