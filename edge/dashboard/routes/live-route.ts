/** `/api/live`: server-sent events that keep an open dashboard current without reloading (allocations, devices, samples, events, demand). */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { DashboardServices } from '../dashboard-services';
import type { DashboardEnv } from '../http/dashboard-env';

/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const KEEP_ALIVE_MS = 25_000;

export function liveRoute(services: DashboardServices) {
  const app = new Hono<DashboardEnv>();
  app.get('/live', (c) =>
    streamSSE(c, async (stream) => {
      const unsubscribe = services.live.subscribe(
        (topic, data) => void stream.writeSSE({ event: topic, data: JSON.stringify(data) }).catch(() => undefined),
      );
      let cancelKeepAlive = (): void => {};
      const keepAlive = () => {
        cancelKeepAlive = services.deps.clock.after(KEEP_ALIVE_MS, () => {
          void stream.write(': keep-alive\n\n').catch(() => undefined);
          keepAlive();
        });
      };
      keepAlive();
      await stream.writeSSE({ event: 'ready', data: '{}' });
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      cancelKeepAlive();
      unsubscribe();
    }),
  );
  return app;
}
