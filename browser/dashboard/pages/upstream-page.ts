/**
 * The links to the operator's CSMS: per charger, whether its link is open and since when, what waits for the CSMS
 * (messages, the oldest one's age), the provisional transaction ids and the CSMS's ids for them, the messages set
 * aside and the meter values the backlog's bound thinned; and the messages set aside, each purgeable. Refreshed when
 * an upstream event arrives.
 */
import { badge, formatTime } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
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
  if (minutes < 1) return 'under a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

function mappingsText(charger: UpstreamCharger): string {
  if (charger.mappings.length === 0) return '–';
  return charger.mappings
    .map((m) => `${m.provisionalId} → ${m.realId === null ? 'waiting for the CSMS' : m.realId}`)
    .join(', ');
}

function chargersTable(chargers: readonly UpstreamCharger[], now: number): HTMLElement {
  return dataTable({
    caption: 'Links to the CSMS, per charger',
    testId: 'upstream-table',
    rows: chargers,
    empty: 'No charger on this site.',
    columns: [
      { header: 'Charger', cell: (c) => c.chargerId },
      { header: 'Link', cell: (c) => (c.connected ? badge('connected', 'ok') : badge('not connected', 'bad')) },
      { header: 'Since', cell: (c) => (c.since === null ? '–' : formatTime(c.since)) },
      { header: 'Queued messages', cell: (c) => c.backlogMessages, numeric: true },
      { header: 'Oldest queued', cell: (c) => (c.oldestQueuedAt === null ? '–' : age(now - c.oldestQueuedAt)) },
      { header: 'Provisional ids', cell: mappingsText },
      { header: 'Set aside', cell: (c) => c.setAside.refused + c.setAside.unmapped, numeric: true },
      { header: 'Meter values thinned', cell: (c) => c.thinnedMeterValues, numeric: true },
    ],
  });
}

const REASON = { refused: 'refused by the CSMS', unmapped: 'names a transaction the CSMS closed' } as const;

function setAsideTable(
  messages: readonly SetAsideMessageView[],
  purge: (message: SetAsideMessageView) => void,
): HTMLElement {
  return dataTable({
    caption: 'Messages set aside (kept, not sent to the CSMS)',
    testId: 'set-aside-table',
    rows: messages,
    empty: 'No message set aside.',
    columns: [
      { header: 'Charger', cell: (m) => m.chargerId },
      { header: 'Message', cell: (m) => `${m.action} #${m.seq}` },
      { header: 'Why', cell: (m) => REASON[m.reason] },
      { header: 'Queued', cell: (m) => formatTime(m.queuedAt) },
      { header: 'Payload', cell: (m) => el('code', {}, m.payload.slice(0, 200)) },
      {
        header: 'Action',
        cell: (m) =>
          el(
            'button',
            { type: 'button', 'aria-label': `Purge ${m.action} #${m.seq} of ${m.chargerId}`, onclick: () => purge(m) },
            'Purge',
          ),
      },
    ],
  });
}

export function upstreamPage(ctx: PageContext): Page {
  const chargers = el('div', {}, 'Loading…');
  const setAside = el('div', {});
  const status = liveRegion('upstream-status');
  const showSetAside = (messages: readonly SetAsideMessageView[]) =>
    replaceChildren(
      setAside,
      setAsideTable(messages, (m) => void purge(m)),
    );
  const purge = async (message: SetAsideMessageView) => {
    if (!window.confirm(`Purge ${message.action} #${message.seq} of ${message.chargerId}? The CSMS will never get it.`))
      return;
    try {
      const answer = await ctx.api.send('POST', `/upstream/set-aside/${message.seq}/purge`, {}, SetAsideAnswerSchema);
      showSetAside(answer.messages);
      status.say(`${message.action} #${message.seq} of ${message.chargerId} purged.`, 'ok');
    } catch (error) {
      status.say(`Could not purge the message: ${describeError(error)}`, 'error');
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
          el(
            'p',
            { class: 'muted', 'data-testid': 'no-upstream' },
            'This agent is the chargers’ only central system: no operator CSMS is configured (see the upstream section of the site file).',
          ),
        );
        return;
      }
      replaceChildren(chargers, chargersTable(links.chargers, ctx.now()));
      showSetAside(aside.messages);
      const open = links.chargers.filter((c) => c.connected).length;
      status.say(`${open} of ${links.chargers.length} chargers connected to the CSMS.`);
    } catch (error) {
      status.say(`Could not read the CSMS links: ${describeError(error)}`, 'error');
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
        el('h2', { id: 'upstream-heading' }, 'Operator CSMS'),
        el('button', { type: 'button', onclick: () => void load() }, 'Refresh'),
      ),
      chargers,
      status.node,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'set-aside-heading' },
      el('h2', { id: 'set-aside-heading' }, 'Set aside'),
      setAside,
    ),
  );
  return { title: 'CSMS link', node, dispose: stop };
}
