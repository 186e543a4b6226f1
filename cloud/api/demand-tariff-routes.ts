/**
 * A site's capacity tariff (docs/demand-control.md, "In the cloud"): read and set from the console; the peak-demand
 * months count the money saved at it by default. Tenant-scoped like every site route: another tenant's site is not
 * found.
 */
import { Hono } from 'hono';
import { DemandTariffSchema, type DemandTariffAnswer } from '../../shared/demand/demand-tariff';
import type { DemandTariffRecord } from '../ports/demand-tariff-repository';
import type { ApiEnv, AppDeps } from './app-deps';
import { SiteParamsSchema } from './api-schemas';
import { limitBody, parseInput, parseParams, readJson } from './request-input';
import { requireSite } from './site-access';

/** A tariff is three short fields. */
const MAX_TARIFF_BYTES = 1024;

const answer = (siteId: string, record: DemandTariffRecord | undefined): DemandTariffAnswer => ({
  siteId,
  tariff:
    record === undefined
      ? null
      : { perKw: record.perKw, per: record.per, currency: record.currency, updatedAt: record.updatedAt },
});

export function demandTariffRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();
  app.get('/sites/:siteId/demand-tariff', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    return c.json(answer(siteId, await repositories.demandTariffs.get(caller.tenantId, siteId)));
  });
  app.put('/sites/:siteId/demand-tariff', limitBody(MAX_TARIFF_BYTES), async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const tariff = parseInput(DemandTariffSchema, await readJson(c), 'capacity tariff');
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const record = { tenantId: caller.tenantId, siteId, ...tariff, updatedAt: deps.clock() };
    await repositories.demandTariffs.put(record);
    return c.json(answer(siteId, record));
  });
  return app;
}
