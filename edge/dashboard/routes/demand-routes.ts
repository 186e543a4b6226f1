/** Peak-demand control (docs/demand-control.md): the period being counted, its forecast and target, the months' peaks. */
import { Hono } from 'hono';
import type { DemandAnswer } from '../../../shared/dashboard/demand-answer';
import type { DashboardServices } from '../dashboard-services';
import type { DashboardEnv } from '../http/dashboard-env';

export function demandRoutes(services: DashboardServices) {
  const app = new Hono<DashboardEnv>();
  app.get('/demand', (c) => c.json<DemandAnswer>(services.deps.control.demandStatus()));
  return app;
}
