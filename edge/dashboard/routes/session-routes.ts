/** The site's charging sessions: `GET /sessions` for the page, `GET /sessions.csv` the same rows as a download. */
import { Hono } from 'hono';
import { SESSION_CSV_HEADER, sessionCsvRow, type SessionsAnswer } from '../../../shared/dashboard/api-answers';
import { toCsv } from '../../../shared/csv';
import type { DashboardServices } from '../dashboard-services';
import type { DashboardEnv } from '../http/dashboard-env';

/** The page and the export show the same newest sessions (a CSV of every session ever is a backup's job). */
export const SESSIONS_LISTED = 500;

export function sessionRoutes(services: DashboardServices) {
  const { sessions, clock } = services.deps;
  const app = new Hono<DashboardEnv>();
  app.get('/sessions', (c) => c.json<SessionsAnswer>({ sessions: sessions.recent(SESSIONS_LISTED) }));
  app.get('/sessions.csv', (c) => {
    const csv = toCsv(SESSION_CSV_HEADER, sessions.recent(SESSIONS_LISTED).map(sessionCsvRow));
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="ampshare-sessions-${day}.csv"`);
    return c.body(csv);
  });
  return app;
}
