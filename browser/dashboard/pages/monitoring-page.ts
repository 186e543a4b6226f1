/** Device monitoring: the live load chart (last hour or day), meter health, the cloud link and recent events and faults. */
import { badge, formatTime, severityBadge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { loadChart, type ChartSeries } from '../../ui/load-chart';
import {
  EventEntrySchema,
  LiveSampleSchema,
  MonitoringAnswerSchema,
  type CloudStatus,
  type EventEntry,
  type LoadSample,
  type MeterHealth,
  type MonitoringAnswer,
} from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { factsList } from './facts-list';
import { sessionsSection } from './sessions-section';

const RANGES = [
  { id: 'hour', label: 'Last hour', ms: 3600_000 },
  { id: 'day', label: 'Last day', ms: 24 * 3600_000 },
] as const;
const SEVERITY = { info: 'info', warning: 'warning', error: 'error' } as const;

/** The chart's lines; each value holds until the next sample, so the newest one is drawn on to `to` (the chart's right edge). */
function series(samples: readonly LoadSample[], to: number, stepMs: number): ChartSeries[] {
  const pick = (value: (s: LoadSample) => number | null) => {
    const points = samples.flatMap((s) => (value(s) === null ? [] : [{ at: s.at, value: value(s)! }]));
    const last = points.at(-1);
    return last !== undefined && to - last.at <= stepMs * 3 ? [...points, { at: to, value: last.value }] : points;
  };
  return [
    { name: 'Grid load', className: 'series-grid', points: pick((s) => s.gridAmps) },
    { name: 'EV load', className: 'series-ev', points: pick((s) => s.evAmps) },
    { name: 'Budget', className: 'series-budget', limit: true, points: pick((s) => s.budgetAmps) },
    { name: 'Fuse limit', className: 'series-fuse', limit: true, points: pick((s) => s.fuseAmps) },
  ];
}

function metersTable(meters: readonly MeterHealth[]): HTMLElement {
  return dataTable({
    caption: 'Meters',
    testId: 'meters-table',
    rows: meters,
    empty: 'No meter: the site runs on its static budget.',
    columns: [
      { header: 'Meter', cell: (m) => m.id },
      { header: 'Circuit', cell: (m) => m.circuitId ?? '–' },
      {
        header: 'Health',
        cell: (m) =>
          badge(
            m.state === 'ok' ? 'ok' : m.state === 'fault' ? 'fault' : 'no reading',
            m.state === 'ok' ? 'ok' : 'bad',
          ),
      },
      { header: 'L1 / L2 / L3 A', cell: (m) => m.amps?.map((a) => a.toFixed(1)).join(' / ') ?? '–', numeric: true },
      { header: 'Last reading', cell: (m) => (m.lastReadingAt ? formatTime(m.lastReadingAt) : '–') },
      { header: 'Fault', cell: (m) => m.fault ?? '–' },
    ],
  });
}

function cloudFacts(cloud: CloudStatus): HTMLElement {
  if (!cloud.linked) return el('p', { class: 'muted' }, 'No cloud link configured: the agent runs alone.');
  return factsList(
    [
      ['Link', badge(cloud.link, cloud.link === 'connected' ? 'ok' : 'warn')],
      ['Since', formatTime(cloud.since)],
      [
        'Outbox',
        `${cloud.outboxMessages} messages (${Math.ceil(cloud.outboxBytes / 1024)} KiB)${cloud.oldestAt ? `, oldest ${formatTime(cloud.oldestAt)}` : ''}`,
      ],
      ['Policy in force', `version ${cloud.policyVersion} from ${cloud.policySource}`],
      ...(cloud.lastError ? [['Last error', cloud.lastError] as const] : []),
    ],
    'cloud-facts',
  );
}

const eventItem = (e: EventEntry) =>
  el(
    'li',
    {},
    el('time', { datetime: new Date(e.at).toISOString() }, formatTime(e.at)),
    severityBadge(SEVERITY[e.severity]),
    el('strong', {}, e.source),
    e.message,
  );

export function monitoringPage(ctx: PageContext): Page {
  const chartHolder = el('div', { class: 'chart-holder', 'data-testid': 'load-chart' }, 'Loading…');
  const meters = el('div', {});
  const cloud = el('div', { 'data-testid': 'cloud-status' });
  const events = el('ul', { class: 'events', 'aria-label': 'Recent events and faults', 'data-testid': 'events' });
  const status = liveRegion('monitoring-status');
  let current: MonitoringAnswer | undefined;
  let range: (typeof RANGES)[number] = RANGES[0];
  const buttons = RANGES.map((r) =>
    el('button', { type: 'button', 'aria-pressed': 'false', onclick: () => void load(r) }, r.label),
  );

  const drawChart = (answer: MonitoringAnswer) => {
    const to = Math.max(ctx.now(), answer.samples.at(-1)?.at ?? 0);
    replaceChildren(
      chartHolder,
      loadChart({
        title: `Load on the highest phase, ${range.label.toLowerCase()}`,
        from: to - range.ms,
        to,
        unit: 'A',
        series: series(answer.samples, to, answer.stepMs),
        gapMs: answer.stepMs * 3,
      }),
    );
  };
  const load = async (next: (typeof RANGES)[number]) => {
    range = next;
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === next)));
    try {
      current = await ctx.api.get(`/monitoring?range=${next.id}`, MonitoringAnswerSchema);
      drawChart(current);
      replaceChildren(meters, metersTable(current.meters));
      replaceChildren(cloud, cloudFacts(current.cloud));
      replaceChildren(
        events,
        ...(current.events.length ? current.events.map(eventItem) : [el('li', { class: 'muted' }, 'No events yet.')]),
      );
      status.say(`${next.label}: ${current.samples.length} samples.`);
    } catch (error) {
      status.say(`Could not read the monitoring data: ${describeError(error)}`, 'error');
    }
  };
  void load(range);

  const stops = [
    ctx.live.on('sample', LiveSampleSchema, ({ sample, cloud: link }) => {
      if (current === undefined) return;
      current = { ...current, samples: [...current.samples, sample] };
      drawChart(current);
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
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'chart-heading' },
      el(
        'div',
        { class: 'section-head' },
        el('h2', { id: 'chart-heading' }, 'Load'),
        el('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, ...buttons),
      ),
      chartHolder,
      status.node,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'meters-heading' },
      el('h2', { id: 'meters-heading' }, 'Meter health'),
      meters,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'cloud-heading' },
      el('h2', { id: 'cloud-heading' }, 'Cloud link'),
      cloud,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'events-heading' },
      el('h2', { id: 'events-heading' }, 'Recent events and faults'),
      events,
    ),
    sessionsSection(ctx),
  );
  return { title: 'Device monitoring', node, dispose: () => stops.forEach((stop) => stop()) };
}
