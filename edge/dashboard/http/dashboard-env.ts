/** What the dashboard's Hono handlers share: the signed-in session (set by the session guard) and who is asking. */
import type { Context } from 'hono';
import type { LoginSession } from '../auth/login-sessions';

export interface DashboardEnv {
  Variables: { session: LoginSession };
}

export type DashboardContext = Context<DashboardEnv>;

/** The client's address when served by @hono/node-server; undefined in-process (`app.request()`). */
export function remoteAddress(c: Context): string | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming;
  return incoming?.socket?.remoteAddress;
}
