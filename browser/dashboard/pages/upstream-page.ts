/**
 * The links to the operator's CSMS: per charger, whether its link is open and since when, what waits for the CSMS
 * (messages, the oldest one's age), the provisional transaction ids and the CSMS's ids for them, the messages set
 * aside and the meter values the backlog's bound thinned; and the messages set aside, each purgeable. Refreshed when
 * an upstream event arrives.
 */
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatNumber, formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { EventEntrySchema } from '../../../shared/dashboard/api-answers';
import {
  SetAsideAnswerSchema,
  UpstreamAnswerSchema,
  type SetAsideMessageView,
  type UpstreamCharger,
} from '../../../shared/dashboard/upstream-answer';
import type { Page, PageContext } from '../page-context';

/** The source of the agent's upstream event lines. */
const UPSTREAM_SOURCE = 'CSMS link';

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('dashboard.upstream.underMinute');
  if (minutes < 120) return t('dashboard.upstream.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  return hours < 48
    ? t('dashboard.upstream.hours', { count: hours })
    : t('dashboard.upstream.days', { count: Math.floor(hours / 24) });
}

function mappingsText(charger: UpstreamCharger): string {
  if (charger.mappings.length === 0) return '–';
  return charger.mappings
    .map((m) => `${m.provisionalId} → ${m.realId === null ? t('dashboard.upstream.waiting') : m.realId}`)
    .join(', ');
}

/** A link open while its charger is offline only delivers what the charger left queued: not a connected charger. */
function linkBadge(charger: UpstreamCharger): HTMLElement {
  if (!charger.connected) return badge(t('dashboard.upstream.notConnected'), 'bad');
  return charger.chargerConnected
    ? badge(t('dashboard.upstream.connected'), 'ok')
    : badge(t('dashboard.upstream.deliveringBacklog'), 'warn');
}

function chargersTable(chargers: readonly UpstreamCharger[], now: number): HTMLElement {
  return dataTable({
    caption: t('dashboard.upstream.caption'),
    testId: 'upstream-table',
    rows: chargers,
    empty: t('dashboard.upstream.noCharger'),
    columns: [
      { header: t('dashboard.upstream.charger'), cell: (c) => c.chargerId },
      {
        header: t('dashboard.upstream.link'),
        cell: linkBadge,
      },
      { header: t('dashboard.upstream.since'), cell: (c) => (c.since === null ? '–' : formatTime(c.since)) },
      { header: t('dashboard.upstream.queued'), cell: (c) => c.backlogMessages, numeric: true },
      {
        header: t('dashboard.upstream.oldest'),
        cell: (c) => (c.oldestQueuedAt === null ? '–' : age(now - c.oldestQueuedAt)),
      },
      { header: t('dashboard.upstream.provisional'), cell: mappingsText },
      {
        header: t('dashboard.upstream.setAside'),
        cell: (c) => c.setAside.refused + c.setAside.unmapped,
        numeric: true,
      },
      { header: t('dashboard.upstream.thinned'), cell: (c) => c.thinnedMeterValues, numeric: true },
    ],
  });
}

function setAsideTable(
  messages: readonly SetAsideMessageView[],
  purge: (message: SetAsideMessageView) => void,
): HTMLElement {
  return dataTable({
    caption: t('dashboard.upstream.setAsideCaption'),
    testId: 'set-aside-table',
    rows: messages,
    empty: t('dashboard.upstream.noSetAside'),
    columns: [
      { header: t('dashboard.upstream.charger'), cell: (m) => m.chargerId },
      { header: t('dashboard.upstream.message'), cell: (m) => `${m.action} #${m.seq}` },
      { header: t('dashboard.upstream.why'), cell: (m) => t(`dashboard.upstream.${m.reason}`) },
      { header: t('dashboard.upstream.queuedAt'), cell: (m) => formatTime(m.queuedAt) },
      { header: t('dashboard.upstream.payload'), cell: (m) => el('code', {}, m.payload.slice(0, 200)) },
      {
        header: t('dashboard.upstream.action'),
        cell: (m) =>
          el(
            'button',
            {
              type: 'button',
              'aria-label': t('dashboard.upstream.purgeLabel', {
                action: m.action,
                seq: String(m.seq),
                charger: m.chargerId,
              }),
              onclick: () => purge(m),
            },
            t('dashboard.upstream.purge'),
          ),
      },
    ],
  });
}

export function upstreamPage(ctx: PageContext): Page {
  const chargers = el('div', {}, t('common.loading'));
  const setAside = el('div', {});
  const status = liveRegion('upstream-status');
  const showSetAside = (messages: readonly SetAsideMessageView[]) =>
    replaceChildren(
      setAside,
      setAsideTable(messages, (m) => void purge(m)),
    );
  const purge = async (message: SetAsideMessageView) => {
    const named = { action: message.action, seq: String(message.seq), charger: message.chargerId };
    if (!window.confirm(t('dashboard.upstream.purgeConfirm', named))) return;
    try {
      const answer = await ctx.api.send('POST', `/upstream/set-aside/${message.seq}/purge`, {}, SetAsideAnswerSchema);
      showSetAside(answer.messages);
      status.say(t('dashboard.upstream.purged', named), 'ok');
    } catch (error) {
      status.say(t('dashboard.upstream.cannotPurge', { error: describeError(error) }), 'error');
    }
  };
  const load = async () => {
    try {
      const [links, aside] = await Promise.all([
        ctx.api.get('/upstream', UpstreamAnswerSchema),
        ctx.api.get('/upstream/set-aside', SetAsideAnswerSchema),
      ]);
      if (!links.enabled) {
        replaceChildren(
          chargers,
          el('p', { class: 'muted', 'data-testid': 'no-upstream' }, t('dashboard.upstream.noUpstream')),
        );
        return;
      }
      replaceChildren(chargers, chargersTable(links.chargers, ctx.now()));
      showSetAside(aside.messages);
      const open = links.chargers.filter((c) => c.connected && c.chargerConnected).length;
      status.say(
        t('dashboard.upstream.connectedCount', {
          open: formatNumber(open),
          total: formatNumber(links.chargers.length),
        }),
      );
    } catch (error) {
      status.say(t('dashboard.upstream.cannotRead', { error: describeError(error) }), 'error');
    }
  };
  void load();
  const stop = ctx.live.on('event', EventEntrySchema, (entry) => {
    if (entry.source === UPSTREAM_SOURCE) void load();
  });
  const node = el(
    'div',
    {},
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'upstream-heading' },
      el(
        'div',
        { class: 'section-head' },
        el('h2', { id: 'upstream-heading' }, t('dashboard.upstream.heading')),
        el('button', { type: 'button', onclick: () => void load() }, t('common.refresh')),
      ),
      chargers,
      status.node,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'set-aside-heading' },
      el('h2', { id: 'set-aside-heading' }, t('dashboard.upstream.setAside')),
      setAside,
    ),
  );
  return { title: t('dashboard.sections.upstream'), node, dispose: stop };
}
