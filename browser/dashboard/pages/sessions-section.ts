/** The site's charging sessions, newest first, with the same rows as a CSV download (GET /api/sessions.csv). */
import { formatTime } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { SessionsAnswerSchema, type SessionHistoryRow } from '../../../shared/dashboard/api-answers';
import type { PageContext } from '../page-context';

/** A time as the page shows it, with the exact instant (as in the CSV) in `datetime`. */
const time = (at: number | null) =>
  at === null ? '–' : el('time', { datetime: new Date(at).toISOString() }, formatTime(at));

export function sessionsSection(ctx: PageContext): HTMLElement {
  const holder = el('div', {});
  const status = liveRegion('sessions-status');
  void (async () => {
    try {
      const { sessions } = await ctx.api.get('/sessions', SessionsAnswerSchema);
      replaceChildren(
        holder,
        dataTable<SessionHistoryRow>({
          caption: 'Charging sessions, newest first',
          testId: 'sessions-table',
          rows: sessions,
          empty: 'No sessions yet.',
          columns: [
            { header: 'Transaction', cell: (s) => s.transactionId, numeric: true },
            { header: 'Charger', cell: (s) => s.chargerId },
            { header: 'Connector', cell: (s) => s.connectorId, numeric: true },
            { header: 'Id tag', cell: (s) => s.idTag ?? '–' },
            { header: 'Start', cell: (s) => time(s.startedAt) },
            { header: 'Stop', cell: (s) => (s.stoppedAt === null ? 'charging' : time(s.stoppedAt)) },
            { header: 'Energy kWh', cell: (s) => (Math.round(s.energyWh) / 1000).toFixed(3), numeric: true },
          ],
        }),
      );
    } catch (error) {
      status.say(`Could not read the sessions: ${describeError(error)}`, 'error');
    }
  })();
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'sessions-heading' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'sessions-heading' }, 'Sessions'),
      el('a', { href: '/api/sessions.csv', download: '', class: 'button' }, 'Download sessions (CSV)'),
    ),
    holder,
    status.node,
  );
}
