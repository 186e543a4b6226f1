/**
 * Device monitoring's load section: the load per phase over the last hour or day (grid meter and chargers, budget
 * and fuse), in A or kW, kept current by the live samples; its data as a table, and as a CSV download
 * (GET /api/load.csv, every sample of the range).
 */
import { chartUnitSwitch } from '../../ui/chart-unit-switch';
import { el, replaceChildren } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import { loadChart, redrawOnResize, type ChartPoint, type ChartSeries } from '../../ui/load-chart';
import { phaseSeries, type ChartUnit } from '../../ui/phase-load-series';
import { phaseLoadData } from '../../ui/phase-load-table';
import type { LoadSample, MonitoringAnswer } from '../../../shared/dashboard/api-answers';
import type { PageContext } from '../page-context';

export const RANGES = [
  { id: 'hour', label: 'dashboard.monitoring.lastHour', title: 'common.chart.titleHour', ms: 3600_000 },
  { id: 'day', label: 'dashboard.monitoring.lastDay', title: 'common.chart.titleDay', ms: 24 * 3600_000 },
] as const;
export type Range = (typeof RANGES)[number];

export interface LoadHistorySection {
  readonly node: HTMLElement;
  show(answer: MonitoringAnswer, range: Range): void;
  /** A live sample: appended and drawn. */
  add(sample: LoadSample): void;
}

/** Each value holds until the next sample, so a line's newest value is drawn on to `to` (the chart's right edge). */
const holdToEdge = (series: ChartSeries, to: number, stepMs: number): ChartSeries => {
  const last = series.points.at(-1);
  return last !== undefined && to - last.at <= stepMs * 3
    ? { ...series, points: [...series.points, { at: to, value: last.value }] }
    : series;
};

export function loadHistorySection(
  ctx: PageContext,
  onRange: (range: Range) => void,
  status: HTMLElement,
): LoadHistorySection {
  const holder = el('div', { class: 'chart-holder', 'data-testid': 'load-chart' }, t('common.loading'));
  const data = phaseLoadData();
  const download = el('a', { download: '', class: 'button', 'data-testid': 'load-csv' }, t('common.chart.download'));
  let answer: MonitoringAnswer | undefined;
  let range: Range = RANGES[0];
  let unit: ChartUnit = 'A';
  const buttons = RANGES.map((r) =>
    el('button', { type: 'button', 'aria-pressed': String(r === range), onclick: () => onRange(r) }, t(r.label)),
  );

  const draw = () => {
    if (answer === undefined) return;
    const { samples, stepMs, nominalVolts } = answer;
    const to = Math.max(ctx.now(), samples.at(-1)?.at ?? 0);
    const limit = (pick: (s: LoadSample) => number): ChartPoint[] => samples.map((s) => ({ at: s.at, value: pick(s) }));
    const points = samples.map((s) => ({ at: s.at, grid: s.gridAmps, ev: s.evAmps }));
    const series = phaseSeries({
      points,
      budget: limit((s) => s.budgetAmps),
      fuse: limit((s) => s.fuseAmps),
      unit,
      nominalVolts,
    }).map((s) => holdToEdge(s, to, stepMs));
    replaceChildren(
      holder,
      loadChart({
        title: t(range.title),
        from: to - range.ms,
        to,
        unit,
        series,
        gapMs: stepMs * 3,
        widthPx: holder.clientWidth,
      }),
    );
    data.show(
      samples.map((s) => ({ ...s, grid: s.gridAmps, ev: s.evAmps, budget: s.budgetAmps, fuse: s.fuseAmps })),
      unit,
      nominalVolts,
    );
  };

  redrawOnResize(holder, draw);
  const node = el(
    'section',
    { class: 'card', 'aria-labelledby': 'chart-heading' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'chart-heading' }, t('dashboard.monitoring.load')),
      el('div', { class: 'segmented', role: 'group', 'aria-label': t('dashboard.monitoring.timeRange') }, ...buttons),
      chartUnitSwitch(unit, (next) => ((unit = next), draw())),
    ),
    holder,
    el('div', { class: 'actions' }, download),
    data.node,
    status,
  );
  return {
    node,
    show(next, nextRange) {
      answer = next;
      range = nextRange;
      buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === range)));
      download.setAttribute('href', `/api/load.csv?range=${range.id}`);
      draw();
    },
    add(sample) {
      if (answer === undefined) return;
      answer = { ...answer, samples: [...answer.samples, sample] };
      draw();
    },
  };
}
