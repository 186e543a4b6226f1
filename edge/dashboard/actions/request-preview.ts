/**
 * "Test Request Allocation": what the site would allocate if a car plugged in on one connector now, with its phases,
 * its maximum current and (if asked) as a VIP. It runs the shared allocator on a copy of the current state and policy;
 * nothing is sent to any charger.
 */
import type { AllocateFn, Allocation, SiteSnapshot } from '../../../shared/allocation/allocation-types';
import { AppError } from '../../../shared/errors';
import { reasonedIssue } from '../../../shared/reasoned-issue';
import type { Policy } from '../../../shared/policy/policy-schema';
import { formatConnectorRef } from '../../../shared/site/connector-ref';
import type { Site } from '../../../shared/site/site-schema';
import type { PreviewRequest } from '../routes/api-requests';

export const PREVIEW_SESSION_ID = 'test-request';

/** A request naming a connector it cannot test, said by reason at the body's `connector`. */
function refusal(reason: 'testRequest.unknownConnector' | 'testRequest.busyConnector', connector: string): AppError {
  const params = { connector };
  return AppError.because('message.invalid', reason, params, [reasonedIssue('connector', { reason, params })]);
}

/** The site with the requested connector capped at `maxAmps`. */
function siteWithCap(site: Site, request: PreviewRequest): Site {
  return {
    ...site,
    chargers: site.chargers.map((charger) => ({
      ...charger,
      connectors: charger.connectors.map((k) =>
        formatConnectorRef(charger.id, k.id) === request.connector
          ? { ...k, maxAmps: Math.min(k.maxAmps ?? charger.maxAmps, charger.maxAmps, request.maxAmps) }
          : k,
      ),
    })),
  };
}

export function previewRequest(
  snapshot: SiteSnapshot,
  policy: Policy,
  request: PreviewRequest,
  now: number,
  allocate: AllocateFn,
): Allocation {
  const target = snapshot.connectors.find((c) => c.ref === request.connector);
  if (target === undefined) throw refusal('testRequest.unknownConnector', request.connector);
  if (target.session !== undefined) throw refusal('testRequest.busyConnector', request.connector);
  const connectors = snapshot.connectors.map((c) =>
    c.ref === request.connector
      ? {
          ...c,
          status: 'Charging' as const,
          session: { id: PREVIEW_SESSION_ID, startedAt: now, energyWh: 0, carPhases: request.phases },
        }
      : c,
  );
  const vipConnectors = request.vip
    ? [...new Set([...policy.vip.connectors, request.connector])]
    : policy.vip.connectors;
  return allocate(
    { ...snapshot, site: siteWithCap(snapshot.site, request), connectors },
    { ...policy, vip: { ...policy.vip, connectors: vipConnectors } },
    now,
  );
}
