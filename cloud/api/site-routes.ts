/** Sites of the caller's tenant: list, create, read, update, delete; and the chargers of a site. */
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { SiteSchema } from '../../shared/site/site-schema';
import { parseWith } from '../../shared/validation';
import type { ApiEnv, AppDeps } from './app-deps';
import {
  ChargerBodySchema,
  ChargerParamsSchema,
  ListSitesQuerySchema,
  SiteCreateBodySchema,
  SiteParamsSchema,
  SiteUpdateBodySchema,
} from './api-schemas';
import { parseInput, parseParams, parseQuery, readJson } from './request-input';
import { assembleSite, loadFullSite, requireSite, siteSummary, siteView } from './site-access';

const encodeSiteCursor = (siteId: string) => Buffer.from(`site:${siteId}`).toString('base64url');

function decodeSiteCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const siteId = decoded.startsWith('site:') ? decoded.slice(5) : '';
  if (!SiteParamsSchema.shape.siteId.safeParse(siteId).success) {
    throw new AppError('message.invalid', 'invalid cursor', [
      { path: 'query.cursor', message: 'not a cursor returned by this list' },
    ]);
  }
  return siteId;
}

export function siteRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();

  app.get('/sites', async (c) => {
    const query = parseQuery(c, ListSitesQuerySchema);
    const page = await repositories.sites.list(c.get('caller').tenantId, {
      limit: query.limit,
      ...(query.cursor ? { after: decodeSiteCursor(query.cursor) } : {}),
    });
    return c.json({
      items: page.items.map(siteSummary),
      cursor: page.lastSiteId === undefined ? null : encodeSiteCursor(page.lastSiteId),
    });
  });

  app.post('/sites', async (c) => {
    const site = parseInput(SiteCreateBodySchema, await readJson(c), 'site', 'site.invalid');
    const { tenantId } = c.get('caller');
    const now = deps.clock();
    const { chargers, ...config } = site;
    const record = {
      tenantId,
      config,
      connectivity: { state: 'unknown' as const, since: now },
      createdAt: now,
      updatedAt: now,
    };
    await repositories.sites.create(record);
    await repositories.chargers.put(tenantId, site.id, chargers, now);
    c.header('Location', `/sites/${encodeURIComponent(site.id)}`);
    return c.json(siteView(record, site), 201);
  });

  app.get('/sites/:siteId', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const { record, site } = await loadFullSite(repositories, c.get('caller'), siteId);
    return c.json(siteView(record, site));
  });

  app.put('/sites/:siteId', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const body = parseInput(SiteUpdateBodySchema, await readJson(c), 'site', 'site.invalid');
    const caller = c.get('caller');
    const { site: current } = await loadFullSite(repositories, caller, siteId);
    // Checked as a whole site, so a circuit still used by a charger cannot be removed.
    const site = parseInput(SiteSchema, { ...body, id: siteId, chargers: current.chargers }, 'site', 'site.invalid');
    const { chargers, ...config } = site;
    const record = await repositories.sites.updateConfig(caller.tenantId, config, deps.clock());
    return c.json(siteView(record, assembleSite(record, chargers)));
  });

  app.delete('/sites/:siteId', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const caller = c.get('caller');
    const record = await requireSite(repositories, caller, siteId);
    if (record.gatewayThingName !== undefined) {
      throw new AppError(
        'resource.conflict',
        `site "${siteId}" still has gateway "${record.gatewayThingName}": revoke it first`,
      );
    }
    await repositories.sites.delete(caller.tenantId, siteId);
    return c.body(null, 204);
  });

  app.get('/sites/:siteId/chargers', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const { site } = await loadFullSite(repositories, c.get('caller'), siteId);
    return c.json({ items: site.chargers });
  });

  app.put('/sites/:siteId/chargers/:chargerId', async (c) => {
    const { siteId, chargerId } = parseParams(c, ChargerParamsSchema);
    const body = parseInput(ChargerBodySchema, await readJson(c), 'charger', 'site.invalid');
    if (body.id !== undefined && body.id !== chargerId) {
      throw new AppError('site.invalid', 'the charger id in the body differs from the path', [
        { path: 'id', message: `expected "${chargerId}"` },
      ]);
    }
    const caller = c.get('caller');
    const { record, site: current } = await loadFullSite(repositories, caller, siteId);
    const others = current.chargers.filter((charger) => charger.id !== chargerId);
    const parsed = parseWith(SiteSchema, { ...record.config, chargers: [...others, { ...body, id: chargerId }] });
    if (!parsed.ok) {
      // Name the fields of the charger that was sent, not its position in the assembled site.
      const own = `chargers[${others.length}].`;
      const issues = parsed.issues.map((issue) =>
        issue.path.startsWith(own) ? { ...issue, path: issue.path.slice(own.length) } : issue,
      );
      throw new AppError(
        'site.invalid',
        `invalid charger: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      );
    }
    const charger = parsed.value.chargers.at(-1)!;
    const created = others.length === current.chargers.length;
    await repositories.chargers.put(caller.tenantId, siteId, [charger], deps.clock());
    return c.json(charger, created ? 201 : 200);
  });

  app.delete('/sites/:siteId/chargers/:chargerId', async (c) => {
    const { siteId, chargerId } = parseParams(c, ChargerParamsSchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    if (!(await repositories.chargers.delete(caller.tenantId, siteId, chargerId))) {
      throw new AppError('resource.notFound', `charger "${chargerId}" not found`);
    }
    return c.body(null, 204);
  });

  return app;
}
