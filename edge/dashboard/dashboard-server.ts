/**
 * Starts the dashboard on its own HTTP server (@hono/node-server): when its port is taken it listens on a free one and
 * says so, because the control loop must never wait for its web page. Without an admin password it issues the
 * one-time setup link, which the caller prints.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { DashboardConfig } from '../config/edge-config-schema';
import type { ChargerEvent } from '../ocpp/charger-events';
import { createDashboardApp } from './dashboard-app';
import { DASHBOARD_BUNDLE_DIR, dashboardAssets } from './http/dashboard-assets';
import type { DashboardDeps, FeedChange } from './dashboard-ports';
import { createDashboardServices, type DashboardServices } from './dashboard-services';

export interface RunningDashboard {
  /** `http://host:port/` */
  readonly url: string;
  /** The one-time link to set the admin password, while none is set. */
  readonly setupUrl: string | undefined;
  close(): Promise<void>;
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, () => resolve(server));
    server.once('error', reject);
  });
}

/** Keeps open pages current, and tells a charger switched off on the dashboard so again whenever it reconnects. */
function followFeed(services: DashboardServices): () => void {
  const { deps, live } = services;
  const keepDisabled = (event: ChargerEvent) => {
    if (event.type !== 'configured' || deps.chargers.record(event.chargerId).enabled) return;
    void deps.commands
      .command(event.chargerId, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' })
      .then((result) => {
        if (result.kind !== 'accepted')
          deps.log.warn(
            { chargerId: event.chargerId, outcome: result.kind },
            'charger switched off on the dashboard did not accept Inoperative',
          );
      });
  };
  return deps.feed.onChange((change: FeedChange) => {
    switch (change.kind) {
      case 'allocation':
        live.publish('demand', () => deps.control.demandStatus());
        return live.publish('allocations', () => services.allocations());
      case 'charger':
        if (change.event !== undefined) keepDisabled(change.event);
        return live.publish('devices', () => ({ basicAuth: deps.basicAuth, chargers: services.devices() }));
      case 'sample':
        return live.publish('sample', () => ({
          sample: change.sample,
          cloud: services.cloudStatus(),
          ...(change.csmsLink && { csmsLink: change.csmsLink }),
        }));
      case 'event':
        return live.publishEach('event', change.entry);
    }
  });
}

export async function startDashboard(config: DashboardConfig, deps: DashboardDeps): Promise<RunningDashboard> {
  const services = createDashboardServices(deps, config);
  const assets = dashboardAssets();
  const app = createDashboardApp(services, assets);
  let server: ServerType;
  try {
    server = await listen(app.fetch, config.host, config.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    deps.log.warn({ port: config.port, host: config.host }, 'dashboard port taken; listening on a free port instead');
    server = await listen(app.fetch, config.host, 0);
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}/`;
  const token = services.account.issueSetupToken();
  const setupUrl = token === undefined ? undefined : `${url}#/setup/${token}`;
  const unfollow = followFeed(services);
  if ((await assets.get('index.html')).kind === 'notBuilt')
    deps.log.warn({ dir: DASHBOARD_BUNDLE_DIR }, 'dashboard page not built: it answers 503 until `npm run build`');
  deps.log.info(
    { url, ...(setupUrl && { setupUrl }) },
    setupUrl ? 'dashboard listening: open the setup link once to set the admin password' : 'dashboard listening',
  );
  return {
    url,
    setupUrl,
    async close() {
      unfollow();
      services.live.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open live streams would keep the server from closing.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
