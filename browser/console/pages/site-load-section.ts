/**
 * The site's load over the last hour or day, per phase: the grid meter's and the chargers' L1, L2, L3, the policy's
 * budget and the grid fuse, in A or kW; its data as a table.
 */
import type { Policy } from '../../../shared/policy/policy-schema';
import type { Site } from '../../../shared/site/site-schema';
import { describeError } from '../../ui/json-api';
import { TelemetrySchema } from '../api-schemas';
import type { z } from 'zod';
import { budgetAmpsPerPhase, rootFuseAmps } from '../../../shared/load-figures';
import type { PageContext } from '../page-context';
import { chartUnitSwitch } from '../../ui/chart-unit-switch';
import { csvDownload } from './csv-download';
import { el, replaceChildren } from '../../ui/element';
import { liveRegion } from '../../ui/live-region';
import { t } from '../../ui/i18n/i18n';
import { loadChart, redrawOnResize, type ChartPoint } from '../../ui/load-chart';
import { phaseSeries, type ChartUnit } from '../../ui/phase-load-series';
import { phaseLoadData } from '../../ui/phase-load-table';

const RANGES = [
  { id: 'hour', label: 'console.site.lastHour', title: 'common.chart.titleHour', ms: 3600_000 },
  { id: 'day', label: 'console.site.lastDay', title: 'common.chart.titleDay', ms: 24 * 3600_000 },
] as const;
const POINTS = 120;

export function siteLoadSection(ctx: PageContext, site: Site, policy: Policy | null): HTMLElement {
  const holder = el('div', { class: 'chart-holder', 'data-testid': 'load-chart' }, t('console.site.loadingTelemetry'));
  const data = phaseLoadData();
  const live = liveRegion();
  let unit: ChartUnit = 'A';
  let shown:
    | { telemetry: z.output<typeof TelemetrySchema>; range: (typeof RANGES)[number]; from: number; to: number }
    | undefined;
  const buttons = RANGES.map((range) =>
    el('button', { type: 'button', 'aria-pressed': 'false', onclick: () => void show(range) }, t(range.label)),
  );

  const draw = () => {
    if (shown === undefined) return;
    const { telemetry, range, from, to } = shown;
    const budget = policy ? budgetAmpsPerPhase(policy.budget, site.nominalVolts) : null;
    const fuse = rootFuseAmps(site);
    const flat = (value: number | null): ChartPoint[] =>
      value === null
        ? []
        : [
            { at: from, value },
            { at: to, value },
          ];
    const points = telemetry.points.map((p) => ({ at: p.at, grid: p.gridAmps, ev: p.allocatedAmps }));
    const series = phaseSeries({
      points,
      budget: flat(budget),
      fuse: flat(fuse),
      unit,
      nominalVolts: site.nominalVolts,
    });
    replaceChildren(
      holder,
      loadChart({
        title: t(range.title),
        from,
        to,
        unit,
        series,
        gapMs: telemetry.bucketMs * 2.5,
        widthPx: holder.clientWidth,
      }),
    );
    data.show(
      points.map((p) => ({ ...p, budget, fuse })),
      unit,
      site.nominalVolts,
    );
  };

  /** The telemetry the chart shows, as JSON or (`.csv`) as the file the download button fetches. */
  const telemetryPath = (format: '' | '.csv', from: number, to: number) =>
    `/sites/${encodeURIComponent(site.id)}/telemetry${format}?from=${from}&to=${to}&points=${POINTS}`;
  const download = csvDownload(
    ctx,
    () =>
      shown ? telemetryPath('.csv', shown.from, shown.to) : telemetryPath('.csv', ctx.now() - RANGES[0].ms, ctx.now()),
    `${site.id}-load.csv`,
    t('common.chart.download'),
  );

  const show = async (range: (typeof RANGES)[number]) => {
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === range)));
    const to = ctx.now();
    const from = to - range.ms;
    try {
      const telemetry = await ctx.api.get(telemetryPath('', from, to), TelemetrySchema);
      shown = { telemetry, range, from, to };
      draw();
      live.say(
        telemetry.points.length
          ? t('console.site.points', { range: t(range.label), count: telemetry.points.length })
          : t('console.site.noTelemetry', { range: t(range.label) }),
      );
    } catch (error) {
      live.say(t('console.site.cannotLoadTelemetry', { error: describeError(error) }), 'error');
    }
  };
  void show(RANGES[0]);
  redrawOnResize(holder, draw);

  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'load-heading' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'load-heading' }, t('console.site.load')),
      el('div', { class: 'segmented', role: 'group', 'aria-label': t('console.site.timeRange') }, ...buttons),
      chartUnitSwitch(unit, (next) => ((unit = next), draw())),
    ),
    holder,
    el('div', { class: 'actions' }, download),
    data.node,
    live.node,
  );
}
