/** The fleet console as the local stack serves it: the console app, plus the dev login that only this stack has. */
import { Hono } from 'hono';
import { serveConsole } from '../console/serve-console';
import { devLoginRoutes, type IssueDevToken } from './dev-login-routes';

export interface LocalConsoleOptions {
  /** A directory written by `npm run build` (`CONSOLE_BUNDLE_DIR`). */
  readonly distDir: string;
  /** Issues a token for a tenant (e.g. `(tenantId) => issuer.issue({ tenantId })`). */
  readonly issueDevToken: IssueDevToken;
}

/** Mount under `/console`, before the API's routes. */
export function localConsole(options: LocalConsoleOptions): Hono {
  const app = new Hono();
  app.route('/', devLoginRoutes(options.issueDevToken));
  app.route('/', serveConsole({ distDir: options.distDir, apiBaseUrl: '', devLogin: true }));
  return app;
}
