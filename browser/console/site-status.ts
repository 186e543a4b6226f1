/**
 * What the sites list shows beside each site: its policy versions, its latest telemetry and its recent alerts.
 * The API has no fleet summary yet, so these are three calls per site, a few sites at a time.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import type { ApiClient } from './api-client';
import {
  EventListSchema,
  SitePolicySchema,
  TelemetrySchema,
  type SiteEventView,
  type SitePolicy,
  type TelemetryPoint,
} from './api-schemas';

export interface SiteStatus {
  readonly policy: SitePolicy;
  readonly latest: TelemetryPoint | null;
  /** Error and warning events of the last day, newest first. */
  readonly alerts: readonly SiteEventView[];
}

/** The policy to show a site's load against: what it runs, else what was pushed to it; null when neither is known. */
export const knownPolicy = (p: SitePolicy): Policy | null => p.inForce?.policy ?? p.desired?.policy ?? null;

const LATEST_WINDOW_MS = 15 * 60_000;
const ALERT_WINDOW_MS = 24 * 3600_000;
const CONCURRENT_SITES = 4;

export async function loadSiteStatus(api: ApiClient, siteId: string, now: number): Promise<SiteStatus> {
  const id = encodeURIComponent(siteId);
  const [policy, telemetry, events] = await Promise.all([
    api.get(`/sites/${id}/policy`, SitePolicySchema),
    api.get(`/sites/${id}/telemetry?from=${now - LATEST_WINDOW_MS}&to=${now + 1}&points=15`, TelemetrySchema),
    api.get(`/sites/${id}/events?from=${now - ALERT_WINDOW_MS}&limit=50`, EventListSchema),
  ]);
  return { policy, latest: telemetry.points.at(-1) ?? null, alerts: events.items.filter((e) => e.severity !== 'info') };
}

/** Loads every site's status, reporting each one as it arrives. */
export async function loadStatuses(
  api: ApiClient,
  siteIds: readonly string[],
  now: number,
  onStatus: (siteId: string, status: SiteStatus | Error) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < siteIds.length; i = next++) {
      const siteId = siteIds[i]!;
      onStatus(
        siteId,
        await loadSiteStatus(api, siteId, now).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_SITES, siteIds.length) }, worker));
}
