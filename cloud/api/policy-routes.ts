/** The desired, applied and in-force policy of a site, its history, and replacing it (optimistic concurrency, then a push). */
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import type { ApiEnv, AppDeps } from './app-deps';
import {
  IfMatchSchema,
  PolicyBodySchema,
  PolicyHistoryQuerySchema,
  PolicyPutQuerySchema,
  SiteParamsSchema,
} from './api-schemas';
import { policyInForce } from './policy-in-force';
import { desiredView, writeAndPush } from './policy-push';
import { parseInput, parseParams, parseQuery, readJson } from './request-input';
import { requireSite } from './site-access';

const etag = (version: number) => `"${version}"`;

export function policyRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();

  app.get('/sites/:siteId/policy', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const [desired, applied] = await Promise.all([
      repositories.policies.getDesired(caller.tenantId, siteId),
      repositories.policies.getApplied(caller.tenantId, siteId),
    ]);
    c.header('ETag', etag(desired?.version ?? 0));
    return c.json({
      desired: desired ? desiredView(desired) : null,
      applied: applied
        ? {
            version: applied.version,
            status: applied.status,
            message: applied.message ?? null,
            reportedAt: applied.reportedAt,
          }
        : null,
      inSync: desired !== undefined && applied?.status === 'applied' && applied.version === desired.version,
      inForce: await policyInForce(repositories.policies, desired, applied),
    });
  });

  app.get('/sites/:siteId/policy/history', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const query = parseQuery(c, PolicyHistoryQuerySchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const page = await repositories.policies.history(caller.tenantId, siteId, {
      limit: query.limit,
      ...(query.before !== undefined ? { beforeVersion: query.before } : {}),
    });
    return c.json({ items: page.items.map(desiredView), nextBefore: page.nextBeforeVersion ?? null });
  });

  app.put('/sites/:siteId/policy', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const expectedVersion = readExpectedVersion(
      c.req.header('If-Match'),
      parseQuery(c, PolicyPutQuerySchema).expectedVersion,
    );
    const policy = parseInput(PolicyBodySchema, await readJson(c), 'policy', 'policy.invalid');
    const caller = c.get('caller');
    const site = await requireSite(repositories, caller, siteId);
    const { desired, push } = await writeAndPush(deps, site, {
      policy,
      expectedVersion,
      source: 'api',
      ...(caller.subject ? { author: caller.subject } : {}),
    });
    c.header('ETag', etag(desired.version));
    return c.json({ desired: desiredView(desired), push });
  });

  return app;
}

/** The version the editor started from: `If-Match` or `?expectedVersion=`; one of them is required, so no write is blind. */
function readExpectedVersion(ifMatch: string | undefined, fromQuery: number | undefined): number {
  if (ifMatch !== undefined) {
    const parsed = parseInput(IfMatchSchema, ifMatch, 'If-Match header', 'message.invalid', 'headers.If-Match.');
    if (fromQuery !== undefined && fromQuery !== parsed) {
      throw new AppError('message.invalid', 'If-Match and expectedVersion disagree', [
        { path: 'query.expectedVersion', message: `If-Match says ${parsed}` },
      ]);
    }
    return parsed;
  }
  if (fromQuery !== undefined) return fromQuery;
  throw new AppError('message.invalid', 'the version being replaced is required', [
    {
      path: 'headers.If-Match',
      message: 'send the ETag of the policy you edited ("0" when there is none yet), or ?expectedVersion=',
    },
  ]);
}
