/**
 * A site's cluster (docs/cluster.md, "In the fleet console"): each node's role, health and term, the master (on two
 * gateways: the majority's holder), etcd's members and the last takeover, from the takeover and majority events and
 * the telemetry's cluster figures the nodes send.
 * Tenant-scoped like every site route.
 */
import { Hono } from 'hono';
import { siteClusterView, type SiteClusterAnswer } from '../../shared/console/site-cluster-answer';
import type { ApiEnv, AppDeps } from './app-deps';
import { SiteParamsSchema } from './api-schemas';
import { parseParams } from './request-input';
import { requireSite } from './site-access';

/** A site's gateways: two or three, and a few more replaced over its life. */
const MAX_NODES = 16;

export function clusterRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();
  app.get('/sites/:siteId/cluster', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const [nodes, health, majorities] = await Promise.all([
      repositories.clusterNodes.list(caller.tenantId, siteId, MAX_NODES),
      repositories.clusterHealth.list(caller.tenantId, siteId, MAX_NODES),
      repositories.clusterMajority.list(caller.tenantId, siteId, MAX_NODES),
    ]);
    return c.json<SiteClusterAnswer>(siteClusterView(siteId, nodes, health, deps.clock(), majorities));
  });
  return app;
}
