/**
 * A site in front of an operator's CSMS: its link over the last day or hour (docs/csms.md), the share of its chargers
 * linked and the messages queued, from the telemetry's per-bucket figures. A site whose telemetry carries no CSMS
 * figures has no CSMS: the section stays empty and hidden.
 */
import { csmsLinkChart, type CsmsLinkPoint } from '../../ui/csms-link-chart';
import { el, replaceChildren } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { redrawOnResize } from '../../ui/load-chart';
import { TelemetrySchema } from '../api-schemas';
import type { PageContext } from '../page-context';

// In the load chart's order; a day is shown first, since a CSMS outage often lasts hours.
const RANGES = [
  { id: 'hour', label: 'console.site.lastHour', ms: 3600_000 },
  { id: 'day', label: 'console.site.lastDay', ms: 24 * 3600_000 },
] as const;
const POINTS = 120;

export function siteCsmsSection(ctx: PageContext, siteId: string): HTMLElement {
  const holder = el('div', { class: 'chart-holder', 'data-testid': 'csms-link-chart' });
  const live = liveRegion();
  let shown:
    | { points: CsmsLinkPoint[]; range: (typeof RANGES)[number]; from: number; to: number; bucketMs: number }
    | undefined;
  const buttons = RANGES.map((range) =>
    el('button', { type: 'button', 'aria-pressed': 'false', onclick: () => void show(range) }, t(range.label)),
  );
  const section = el(
    'section',
    { class: 'card', 'aria-labelledby': 'csms-link-heading', hidden: '' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'csms-link-heading' }, t('console.csmsLink.heading')),
      el('div', { class: 'segmented', role: 'group', 'aria-label': t('console.site.timeRange') }, ...buttons),
    ),
    holder,
    live.node,
  );

  const draw = () => {
    if (shown === undefined) return;
    const { points, range, from, to, bucketMs } = shown;
    replaceChildren(
      holder,
      csmsLinkChart({ points, from, to, hours: range.id, gapMs: bucketMs * 2.5, widthPx: holder.clientWidth }),
    );
  };

  const show = async (range: (typeof RANGES)[number]) => {
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === range)));
    const to = ctx.now();
    const from = to - range.ms;
    try {
      const path = `/sites/${encodeURIComponent(siteId)}/telemetry?from=${from}&to=${to}&points=${POINTS}`;
      const telemetry = await ctx.api.get(path, TelemetrySchema);
      const points = telemetry.points.flatMap((p) => (p.csmsLink ? [{ at: p.at, ...p.csmsLink }] : []));
      // The first read decides: a site with no CSMS figures over the last day is not in front of a CSMS.
      if (shown === undefined && points.length === 0) return;
      section.removeAttribute('hidden');
      shown = { points, range, from, to, bucketMs: telemetry.bucketMs };
      draw();
      live.say(
        points.length
          ? t('console.csmsLink.points', { range: t(range.label), count: points.length })
          : t('console.csmsLink.none', { range: t(range.label) }),
      );
    } catch (error) {
      section.removeAttribute('hidden');
      live.say(t('console.site.cannotLoadTelemetry', { error: describeError(error) }), 'error');
    }
  };
  void show(RANGES[1]);
  redrawOnResize(holder, draw);
  return section;
}
