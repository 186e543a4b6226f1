/** The site's load over the last hour or day: grid load, EV load, the policy's budget and the grid fuse, in amps per phase. */
import type { Policy } from '../../../shared/policy/policy-schema';
import type { Site } from '../../../shared/site/site-schema';
import { describeError } from '../../ui/json-api';
import { TelemetrySchema, type TelemetryPoint } from '../api-schemas';
import { budgetAmpsPerPhase, maxPhase } from '../../../shared/load-figures';
import type { PageContext } from '../page-context';
import { el, replaceChildren } from '../../ui/element';
import { liveRegion } from '../../ui/live-region';
import { t } from '../../ui/i18n/i18n';
import { loadChart, type ChartSeries } from '../../ui/load-chart';

const RANGES = [
  { id: 'hour', label: 'console.site.lastHour', ms: 3600_000 },
  { id: 'day', label: 'console.site.lastDay', ms: 24 * 3600_000 },
] as const;
const POINTS = 120;

function rootFuseAmps(site: Site): number | null {
  const fuse = site.circuits.find((c) => c.parent === null)?.fuseAmps;
  if (fuse === undefined) return null;
  return typeof fuse === 'number' ? fuse : maxPhase(fuse);
}

function seriesOf(
  points: readonly TelemetryPoint[],
  site: Site,
  policy: Policy | null,
  from: number,
  to: number,
): ChartSeries[] {
  const pick = (value: (p: TelemetryPoint) => readonly [number, number, number] | null) =>
    points.flatMap((p) => {
      const amps = value(p);
      return amps ? [{ at: p.at, value: maxPhase(amps) }] : [];
    });
  const flat = (value: number) => [
    { at: from, value },
    { at: to, value },
  ];
  const fuse = rootFuseAmps(site);
  return [
    { name: t('console.site.gridLoad'), className: 'series-grid', points: pick((p) => p.gridAmps) },
    { name: t('console.site.evLoad'), className: 'series-ev', points: pick((p) => p.allocatedAmps) },
    ...(policy
      ? [
          {
            name: t('console.site.budget'),
            className: 'series-budget',
            limit: true,
            points: flat(budgetAmpsPerPhase(policy.budget, site.nominalVolts)),
          },
        ]
      : []),
    ...(fuse !== null
      ? [{ name: t('console.site.fuse'), className: 'series-fuse', limit: true, points: flat(fuse) }]
      : []),
  ];
}

export function siteLoadSection(ctx: PageContext, site: Site, policy: Policy | null): HTMLElement {
  const holder = el('div', { class: 'chart-holder', 'data-testid': 'load-chart' }, t('console.site.loadingTelemetry'));
  const live = liveRegion();
  const buttons = RANGES.map((range) =>
    el('button', { type: 'button', 'aria-pressed': 'false', onclick: () => void show(range) }, t(range.label)),
  );

  const show = async (range: (typeof RANGES)[number]) => {
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === range)));
    const to = ctx.now();
    const from = to - range.ms;
    try {
      const telemetry = await ctx.api.get(
        `/sites/${encodeURIComponent(site.id)}/telemetry?from=${from}&to=${to}&points=${POINTS}`,
        TelemetrySchema,
      );
      const series = seriesOf(telemetry.points, site, policy, from, to);
      replaceChildren(
        holder,
        loadChart({
          title: t('console.site.chartTitle', { range: t(range.label).toLowerCase() }),
          from,
          to,
          unit: 'A',
          series,
          gapMs: telemetry.bucketMs * 2.5,
        }),
      );
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

  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'load-heading' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'load-heading' }, t('console.site.load')),
      el('div', { class: 'segmented', role: 'group', 'aria-label': t('console.site.timeRange') }, ...buttons),
    ),
    holder,
    live.node,
  );
}
