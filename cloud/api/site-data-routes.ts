/** What a site reports: telemetry (downsampled for charts, and as CSV), charging sessions and events. */
import { Hono, type Context } from 'hono';
import { toCsv } from '../../shared/csv';
import { AppError } from '../../shared/errors';
import { budgetAmpsPerPhase, rootFuseAmps } from '../../shared/load-figures';
import { LOAD_CSV_HEADER, loadCsvRow } from '../../shared/load-csv';
import type { ApiEnv, AppDeps } from './app-deps';
import { SiteParamsSchema, TelemetryQuerySchema, TimeListQuerySchema, TimeRangeQuerySchema } from './api-schemas';
import { policyInForce } from './policy-in-force';
import { parseParams, parseQuery } from './request-input';
import { sessionsCsv } from './session-csv';
import { sessionsInRange } from './sessions-in-range';
import { requireSite } from './site-access';
import { bucketWidthMs, downsampleTelemetry } from './telemetry-downsample';

export function siteDataRoutes(deps: AppDeps) {
  const { repositories, limits } = deps;
  const app = new Hono<ApiEnv>();

  /** The caller's site and its telemetry samples in the query's range. */
  const telemetryQuery = async (c: Context<ApiEnv>) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const query = parseQuery(c, TelemetryQuerySchema);
    if (query.to - query.from > limits.maxTelemetryRangeMs) {
      throw new AppError('message.invalid', 'telemetry range too long', [
        { path: 'query.to', message: `at most ${limits.maxTelemetryRangeMs} ms after from` },
      ]);
    }
    const caller = c.get('caller');
    const record = await requireSite(repositories, caller, siteId);
    const samples = await repositories.telemetry.range(caller.tenantId, siteId, {
      from: query.from,
      to: query.to,
      maxSamples: limits.maxTelemetrySamples,
    });
    return { siteId, query, caller, record, samples };
  };

  app.get('/sites/:siteId/telemetry', async (c) => {
    const { query, samples } = await telemetryQuery(c);
    return c.json({
      from: query.from,
      to: query.to,
      bucketMs: bucketWidthMs(query.from, query.to, query.points),
      truncated: samples.length >= limits.maxTelemetrySamples,
      points: downsampleTelemetry(samples, query),
    });
  });

  // The chart's points as a CSV file, per phase, with the budget of the policy the site runs (else the one pushed to
  // it) and the grid fuse, as the console's chart draws them.
  app.get('/sites/:siteId/telemetry.csv', async (c) => {
    const { siteId, query, caller, record, samples } = await telemetryQuery(c);
    const [desired, applied] = await Promise.all([
      repositories.policies.getDesired(caller.tenantId, siteId),
      repositories.policies.getApplied(caller.tenantId, siteId),
    ]);
    const policy = (await policyInForce(repositories.policies, desired, applied))?.policy ?? desired?.policy;
    const budgetAmps = policy ? budgetAmpsPerPhase(policy.budget, record.config.nominalVolts) : null;
    const fuseAmps = rootFuseAmps(record.config);
    const rows = downsampleTelemetry(samples, query).map((p) =>
      loadCsvRow({ at: p.at, gridAmps: p.gridAmps, evAmps: p.allocatedAmps, budgetAmps, fuseAmps }),
    );
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${siteId}-load.csv"`);
    return c.body(toCsv(LOAD_CSV_HEADER, rows));
  });

  /** [from, to) of a query, `to` defaulting to now (inclusive). */
  const timeRange = (query: { readonly from: number; readonly to?: number | undefined }) => {
    const to = query.to ?? deps.clock() + 1;
    if (to <= query.from)
      throw new AppError('message.invalid', 'empty time range', [{ path: 'query.to', message: 'must be after from' }]);
    return { from: query.from, to };
  };

  const timeQuery = (c: Context<ApiEnv>) => {
    const query = parseQuery(c, TimeListQuerySchema);
    return {
      ...timeRange(query),
      limit: query.limit,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    };
  };

  app.get('/sites/:siteId/sessions', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const query = timeQuery(c);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const page = await repositories.sessions.list(caller.tenantId, siteId, query);
    return c.json({ items: page.items.map(({ tenantId: _t, ...session }) => session), cursor: page.cursor ?? null });
  });

  // Every session started in [from, to) as a CSV file (the console's download), not one page of them.
  app.get('/sites/:siteId/sessions.csv', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const range = timeRange(parseQuery(c, TimeRangeQuerySchema));
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const sessions = await sessionsInRange(
      repositories.sessions,
      caller.tenantId,
      siteId,
      range,
      limits.maxCsvSessions,
    );
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${siteId}-sessions.csv"`);
    return c.body(sessionsCsv(sessions));
  });

  app.get('/sites/:siteId/events', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const query = timeQuery(c);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const page = await repositories.events.list(caller.tenantId, siteId, query);
    return c.json({ items: page.items.map(({ tenantId: _t, ...event }) => event), cursor: page.cursor ?? null });
  });

  return app;
}
