/** Device monitoring: the live load chart (last hour or day), meter health, the cloud link and recent events and faults. */
import { badge, severityBadge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatNumber, formatPhaseAmps, formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { saidText, untranslated } from '../../ui/i18n/untranslated';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import {
  EventEntrySchema,
  LiveSampleSchema,
  MonitoringAnswerSchema,
  type CloudStatus,
  type EventEntry,
  type MeterHealth,
  type MonitoringAnswer,
} from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { factsList } from './facts-list';
import { loadHistorySection, RANGES, type Range } from './load-history-section';
import { csmsLinkHistorySection } from './csms-link-history-section';
import { sessionsSection } from './sessions-section';

const SEVERITY = { info: 'info', warning: 'warning', error: 'error' } as const;

function metersTable(meters: readonly MeterHealth[]): HTMLElement {
  return dataTable({
    caption: t('dashboard.monitoring.metersCaption'),
    testId: 'meters-table',
    rows: meters,
    empty: t('dashboard.monitoring.noMeter'),
    columns: [
      { header: t('dashboard.monitoring.meter'), cell: (m) => m.id },
      { header: t('dashboard.monitoring.circuit'), cell: (m) => m.circuitId ?? '–' },
      {
        header: t('dashboard.monitoring.health'),
        cell: (m) =>
          badge(
            m.state === 'ok'
              ? t('dashboard.monitoring.healthOk')
              : m.state === 'fault'
                ? t('dashboard.monitoring.healthFault')
                : t('dashboard.monitoring.healthNoReading'),
            m.state === 'ok' ? 'ok' : 'bad',
          ),
      },
      {
        header: t('dashboard.monitoring.phaseAmps'),
        cell: (m) => (m.amps ? formatPhaseAmps(m.amps) : '–'),
        numeric: true,
      },
      {
        header: t('dashboard.monitoring.lastReading'),
        cell: (m) => (m.lastReadingAt ? formatTime(m.lastReadingAt) : '–'),
      },
      { header: t('dashboard.monitoring.fault'), cell: (m) => (m.fault ? saidText(m.fault) : '–') },
    ],
  });
}

const LINK_STATES = ['connecting', 'connected', 'offline', 'stopped'] as const;

/** The link's state in the page's language; a standby's stopped link is as meant (the node that leads holds it). */
function linkBadge(cloud: Extract<CloudStatus, { linked: true }>): HTMLElement {
  if (cloud.followsLeadership && cloud.link === 'stopped')
    return badge(t('dashboard.monitoring.linkStatus.standby'), 'ok');
  const known = LINK_STATES.find((state) => state === cloud.link);
  if (known === undefined) return el('span', { lang: 'en' }, badge(cloud.link, 'warn'));
  return badge(t(`dashboard.monitoring.linkStatus.${known}`), known === 'connected' ? 'ok' : 'warn');
}

function cloudFacts(cloud: CloudStatus): HTMLElement {
  if (!cloud.linked) return el('p', { class: 'muted' }, t('dashboard.monitoring.noCloud'));
  return factsList(
    [
      [t('dashboard.monitoring.link'), linkBadge(cloud)],
      [t('dashboard.monitoring.since'), formatTime(cloud.since)],
      [
        t('dashboard.monitoring.outbox'),
        `${t('dashboard.monitoring.outboxValue', { messages: formatNumber(cloud.outboxMessages), kib: formatNumber(Math.ceil(cloud.outboxBytes / 1024)) })}${cloud.oldestAt ? t('dashboard.monitoring.outboxOldest', { time: formatTime(cloud.oldestAt) }) : ''}`,
      ],
      [
        t('dashboard.monitoring.policyInForce'),
        t('dashboard.monitoring.policyVersion', { version: String(cloud.policyVersion), source: cloud.policySource }),
      ],
      ...(cloud.lastError ? [[t('dashboard.monitoring.lastError'), untranslated(cloud.lastError)] as const] : []),
    ],
    'cloud-facts',
  );
}

/** A line with a reason names its source by id or by `sourceReason`; an older line's source may be an English word. */
const eventSource = (e: EventEntry) => {
  if (e.sourceReason !== undefined) return saidText({ message: e.source, reason: e.sourceReason });
  return e.reason === undefined ? untranslated(e.source) : e.source;
};

const eventItem = (e: EventEntry) =>
  el(
    'li',
    {},
    el('time', { datetime: new Date(e.at).toISOString() }, formatTime(e.at)),
    severityBadge(SEVERITY[e.severity]),
    el('strong', {}, eventSource(e)),
    saidText(e),
  );

export function monitoringPage(ctx: PageContext): Page {
  const meters = el('div', {});
  const cloud = el('div', { 'data-testid': 'cloud-status' });
  const events = el('ul', {
    class: 'events',
    'aria-label': t('dashboard.monitoring.eventsLabel'),
    'data-testid': 'events',
  });
  const status = liveRegion('monitoring-status');
  let current: MonitoringAnswer | undefined;
  const chart = loadHistorySection(ctx, (r) => void load(r), status.node);
  const csmsLink = csmsLinkHistorySection(ctx);
  const load = async (next: Range) => {
    try {
      current = await ctx.api.get(`/monitoring?range=${next.id}`, MonitoringAnswerSchema);
      chart.show(current, next);
      csmsLink.show(current, next);
      replaceChildren(meters, metersTable(current.meters));
      replaceChildren(cloud, cloudFacts(current.cloud));
      replaceChildren(
        events,
        ...(current.events.length
          ? current.events.map(eventItem)
          : [el('li', { class: 'muted' }, t('dashboard.monitoring.noEvents'))]),
      );
      status.say(t('dashboard.monitoring.samples', { range: t(next.label), count: current.samples.length }));
    } catch (error) {
      status.say(t('dashboard.monitoring.cannotRead', { error: describeError(error) }), 'error');
    }
  };
  void load(RANGES[0]);

  const stops = [
    ctx.live.on('sample', LiveSampleSchema, ({ sample, cloud: link, csmsLink: point }) => {
      if (current === undefined) return;
      chart.add(sample);
      if (point !== undefined) csmsLink.add(point);
      replaceChildren(cloud, cloudFacts(link));
    }),
    ctx.live.on('event', EventEntrySchema, (entry) => {
      events.querySelector('li.muted')?.remove();
      events.prepend(eventItem(entry));
    }),
  ];
  const node = el(
    'div',
    {},
    chart.node,
    csmsLink.node,
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'meters-heading' },
      el('h2', { id: 'meters-heading' }, t('dashboard.monitoring.meterHealth')),
      meters,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'cloud-heading' },
      el('h2', { id: 'cloud-heading' }, t('dashboard.monitoring.cloudLink')),
      cloud,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'events-heading' },
      el('h2', { id: 'events-heading' }, t('dashboard.monitoring.eventsLabel')),
      events,
    ),
    sessionsSection(ctx),
  );
  return { title: t('dashboard.sections.monitoring'), node, dispose: () => stops.forEach((stop) => stop()) };
}
