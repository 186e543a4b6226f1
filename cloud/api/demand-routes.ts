/**
 * A site's peak-demand months (docs/demand-control.md, "In the cloud"): the peak with control, the agent's estimate
 * without it, the kW avoided and the money saved each month at the tariff asked for, else at the site's own
 * (`demand-tariff-routes.ts`). Tenant-scoped like every site route: another tenant's site is not found.
 */
import { Hono } from 'hono';
import type { DemandMonthsAnswer } from '../../shared/demand/demand-months-answer';
import { avoidedKw, monthSavings } from '../../shared/demand/demand-savings';
import type { ApiEnv, AppDeps } from './app-deps';
import { DemandMonthsQuerySchema, SiteParamsSchema } from './api-schemas';
import { parseParams, parseQuery } from './request-input';
import { requireSite } from './site-access';

/** The months a site keeps on the edge, and the most the console asks for. */
const MAX_MONTHS = 13;

export function demandRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();
  app.get('/sites/:siteId/demand-months', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const query = parseQuery(c, DemandMonthsQuerySchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    // The tariff asked for, else the one kept for the site.
    const stored =
      query.tariff === undefined ? await repositories.demandTariffs.get(caller.tenantId, siteId) : undefined;
    const tariff =
      query.tariff !== undefined
        ? { perKw: query.tariff, per: query.per }
        : stored && { perKw: stored.perKw, per: stored.per, currency: stored.currency };
    const months = await repositories.demandMonths.list(caller.tenantId, siteId, MAX_MONTHS);
    return c.json<DemandMonthsAnswer>({
      siteId,
      tariff: tariff ?? null,
      months: months.map(({ tenantId: _t, siteId: _s, ...month }) => ({
        ...month,
        avoidedKw: avoidedKw(month.peakKw, month.uncontrolledPeakKw),
        saved: tariff ? monthSavings(month.peakKw, month.uncontrolledPeakKw, tariff.perKw, tariff.per) : null,
      })),
    });
  });
  return app;
}
