/** Every change made on the dashboard goes to the agent log with who made it, from where and what it was. */
import type { Context } from 'hono';
import type { HttpLog } from '../http/error-responses';
import { remoteAddress, type DashboardEnv } from '../http/dashboard-env';

export interface Auditor {
  /** A change by the signed-in user. */
  change(c: Context<DashboardEnv>, action: string, details?: object): void;
  /** Sign-in attempts and other events before there is a session. */
  access(c: Context, action: string, outcome: 'ok' | 'refused', details?: object): void;
}

export function createAuditor(log: HttpLog): Auditor {
  return {
    change(c, action, details = {}) {
      const session = c.get('session');
      log.info(
        { audit: { action, user: session.user, session: session.handle, remote: remoteAddress(c), ...details } },
        `dashboard change: ${action}`,
      );
    },
    access(c, action, outcome, details = {}) {
      const entry = { audit: { action, outcome, remote: remoteAddress(c), ...details } };
      if (outcome === 'ok') log.info(entry, `dashboard ${action}`);
      else log.warn(entry, `dashboard ${action} refused`);
    },
  };
}
