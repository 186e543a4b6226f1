/**
 * The dashboard as one Hono app: `/api/*` (JSON, behind sign-in except the session routes) and the page's files (the
 * source map behind sign-in too), for allowed Host names only.
 * Built by `startDashboard`; tests drive it in-process with `app.request()`.
 */
import { DASHBOARD_MAX_BODY_BYTES, limitBody } from './http/body-limit';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { requireSession, sameOrigin } from './auth/session-guard';
import { DASHBOARD_NOT_BUILT, type DashboardAssets } from './http/dashboard-assets';
import type { DashboardServices } from './dashboard-services';
import { dashboardErrorHandler, dashboardNotFound } from './http/error-responses';
import { hostAllowList } from './http/host-allow-list';
import type { DashboardEnv } from './http/dashboard-env';
import { authRoutes } from './routes/auth-routes';
import { liveRoute } from './routes/live-route';
import { loadRoutes } from './routes/load-routes';
import { monitoringRoutes } from './routes/monitoring-routes';
import { sessionRoutes } from './routes/session-routes';
import { siteRoutes } from './routes/site-routes';
import { networkRoutes } from './routes/network-routes';
import { chargerConfigurationRoutes } from './routes/charger-configuration-routes';
import { demandRoutes } from './routes/demand-routes';
import { siteSetupRoutes } from './routes/site-setup-routes';
import { meterRoutes } from './routes/meter-routes';
import { upstreamRoutes } from './routes/upstream-routes';

export function createDashboardApp(services: DashboardServices, assets: DashboardAssets) {
  const app = new Hono<DashboardEnv>();
  app.onError(dashboardErrorHandler(services.deps.log));
  app.notFound(dashboardNotFound);
  // Self-contained page: scripts, styles and calls from this origin only; never framed (clickjacking).
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] },
      xFrameOptions: 'DENY',
    }),
  );
  app.use(hostAllowList(services.settings.host, services.settings.allowedHosts));
  app.use('/api/*', limitBody(DASHBOARD_MAX_BODY_BYTES));
  app.use('/api/*', sameOrigin());

  const api = new Hono<DashboardEnv>();
  api.route('/', authRoutes(services));
  api.use('*', requireSession(services.sessions));
  api.route('/', siteRoutes(services));
  api.route('/', networkRoutes(services));
  api.route('/', chargerConfigurationRoutes(services));
  api.route('/', loadRoutes(services));
  api.route('/', monitoringRoutes(services));
  api.route('/', sessionRoutes(services));
  api.route('/', liveRoute(services));
  api.route('/', upstreamRoutes(services));
  api.route('/', demandRoutes(services));
  if (services.deps.siteSetup) api.route('/', siteSetupRoutes(services, services.deps.siteSetup));
  if (services.deps.siteSetup) api.route('/', meterRoutes(services, services.deps.siteSetup.meters));
  app.route('/api', api);

  // The source map is the readable source: only for the signed-in admin (browsers' devtools send the cookie).
  app.use('/:file{[a-z0-9.-]+\\.map}', requireSession(services.sessions));
  app.get('/:file{[a-z0-9.-]*}', async (c) => {
    const asset = await assets.get(c.req.param('file') || 'index.html');
    if (asset.kind === 'notFound') return dashboardNotFound(c);
    if (asset.kind === 'notBuilt') return c.text(DASHBOARD_NOT_BUILT, 503, { 'Cache-Control': 'no-store' });
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'no-cache',
    });
  });
  return app;
}
