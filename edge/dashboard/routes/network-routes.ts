/** Network management: this gateway's addresses and, on a cluster node, the virtual address, the peers, etcd and keepalived. */
import { Hono } from 'hono';
import type { NetworkAnswer } from '../../../shared/dashboard/network-answer';
import type { DashboardServices } from '../dashboard-services';
import type { DashboardEnv } from '../http/dashboard-env';

export function networkRoutes(services: DashboardServices) {
  const { deps } = services;
  const app = new Hono<DashboardEnv>();
  app.get('/network', async (c) =>
    c.json<NetworkAnswer>({
      interfaces: [...deps.hostInterfaces()],
      cluster: deps.cluster === undefined ? null : await deps.cluster.network(),
    }),
  );
  return app;
}
