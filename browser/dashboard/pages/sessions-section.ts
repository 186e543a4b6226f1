/** The site's charging sessions, newest first, with the same rows as a CSV download (GET /api/sessions.csv). */
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatNumber, formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
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
          caption: t('dashboard.sessions.caption'),
          testId: 'sessions-table',
          rows: sessions,
          empty: t('dashboard.sessions.empty'),
          columns: [
            { header: t('dashboard.sessions.transaction'), cell: (s) => s.transactionId, numeric: true },
            { header: t('dashboard.sessions.charger'), cell: (s) => s.chargerId },
            { header: t('dashboard.sessions.connector'), cell: (s) => s.connectorId, numeric: true },
            { header: t('dashboard.sessions.idTag'), cell: (s) => s.idTag ?? '–' },
            { header: t('dashboard.sessions.start'), cell: (s) => time(s.startedAt) },
            {
              header: t('dashboard.sessions.stop'),
              cell: (s) =>
                s.stoppedAt !== null
                  ? time(s.stoppedAt)
                  : t(s.otherGateway ? 'dashboard.sessions.chargingOtherGateway' : 'dashboard.sessions.charging'),
            },
            {
              header: t('dashboard.sessions.energy'),
              cell: (s) => formatNumber(Math.round(s.energyWh) / 1000, 3),
              numeric: true,
            },
          ],
        }),
      );
    } catch (error) {
      status.say(t('dashboard.sessions.cannotRead', { error: describeError(error) }), 'error');
    }
  })();
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'sessions-heading' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'sessions-heading' }, t('dashboard.sessions.heading')),
      el('a', { href: '/api/sessions.csv', download: '', class: 'button' }, t('dashboard.sessions.download')),
    ),
    holder,
    status.node,
  );
}
