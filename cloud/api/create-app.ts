/** The fleet HTTP API as a Hono app: everything it uses comes in through `deps`. */
import { Hono } from 'hono';
import type { ApiEnv, AppDeps } from './app-deps';
import { authMiddleware } from './auth-middleware';
import { clusterRoutes } from './cluster-routes';
import { demandRoutes } from './demand-routes';
import { demandTariffRoutes } from './demand-tariff-routes';
import { gatewayRoutes } from './gateway-routes';
import { errorHandler, notFoundHandler } from './http-errors';
import { buildOpenApiDocument } from './openapi-document';
import { policyPreviewRoutes } from './policy-preview';
import { policyRolloutRoutes } from './policy-rollout';
import { policyRoutes } from './policy-routes';
import { siteDataRoutes } from './site-data-routes';
import { limitBody } from './request-input';
import { siteRoutes } from './site-routes';

const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundHandler);

  const openApi = buildOpenApiDocument();
  app.get('/openapi.json', (c) => c.json(openApi));

  app.use('*', limitBody(MAX_BODY_BYTES));
  app.use('*', authMiddleware(deps.auth, deps.repositories.tenants, deps.clock));

  app.route('/', siteRoutes(deps));
  app.route('/', siteDataRoutes(deps));
  app.route('/', policyRoutes(deps));
  app.route('/', policyPreviewRoutes(deps));
  app.route('/', policyRolloutRoutes(deps));
  app.route('/', gatewayRoutes(deps));
  app.route('/', demandRoutes(deps));
  app.route('/', clusterRoutes(deps));
  app.route('/', demandTariffRoutes(deps));
  return app;
}

export type FleetApp = ReturnType<typeof createApp>;
