/** The fleet API on @hono/node-server, listening on 127.0.0.1 (port 0 picks a free one). */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AppDeps } from '../api/app-deps';
import { createApp } from '../api/create-app';

export interface LocalApiServer {
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The API at the root and, when given, the fleet console under `/console` (mounted first: the API would ask it for a token). */
export async function startLocalApiServer(
  deps: AppDeps,
  options: { host?: string; port?: number; console?: Hono } = {},
): Promise<LocalApiServer> {
  const host = options.host ?? '127.0.0.1';
  const app = new Hono();
  if (options.console) app.route('/console', options.console);
  app.route('/', createApp(deps));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
