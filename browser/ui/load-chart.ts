/**
 * A time-series line chart drawn as SVG (no chart library): measured series as lines, limits as dashed lines.
 * Used for a site's grid load, EV load, budget and fuse limit; the edge dashboard can reuse it for its live chart.
 */
import { el, svg } from './element';
import { formatClock, formatNumber } from './i18n/format';
import { t } from './i18n/i18n';

export interface ChartPoint {
  readonly at: number;
  readonly value: number;
}

export interface ChartSeries {
  readonly name: string;
  /** CSS class that sets the colour (`series-grid`, `series-ev`, `series-budget`, `series-fuse`). */
  readonly className: string;
  readonly points: readonly ChartPoint[];
  /** Limits are drawn dashed. */
  readonly limit?: boolean;
}

export interface LoadChartOptions {
  readonly title: string;
  readonly from: number;
  readonly to: number;
  readonly unit: string;
  readonly series: readonly ChartSeries[];
  /** Points further apart than this are not joined (missing telemetry shows as a gap). */
  readonly gapMs: number;
  /**
   * The width the chart is shown at, in CSS pixels (its holder's): drawn at that size, its labels keep their font
   * size on a phone instead of shrinking with a scaled-down drawing. 0 (not laid out yet) draws it 720 wide.
   */
  readonly widthPx: number;
  /** A fixed top of the value axis (a share in percent); without it the axis fits the values. */
  readonly maxValue?: number;
}

const MIN_WIDTH = 280;
const PAD = { left: 44, right: 12, top: 24, bottom: 28 };

/** About four round steps from 0 to at least `max`. */
function niceTicks(max: number): number[] {
  const raw = Math.max(max, 1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  // At least one step above 0: an axis of 0 alone would scale every value by 1 / 0.
  return Array.from({ length: Math.max(1, Math.ceil(max / step)) + 1 }, (_, i) => i * step);
}

/** A path of line segments, broken wherever two points are more than `gapMs` apart. */
function linePath(
  points: readonly ChartPoint[],
  x: (at: number) => number,
  y: (value: number) => number,
  gapMs: number,
): string {
  let d = '';
  let previous: ChartPoint | undefined;
  for (const point of points) {
    const joined = previous !== undefined && point.at - previous.at <= gapMs;
    d += `${joined ? 'L' : 'M'}${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`;
    previous = point;
  }
  return d;
}

/**
 * Calls `draw` again whenever `holder` changes width (a phone turned, a window resized), since the chart is drawn
 * at the width it is shown at.
 */
export function redrawOnResize(holder: HTMLElement, draw: () => void): void {
  let width = holder.clientWidth;
  new ResizeObserver(() => {
    if (holder.clientWidth === width) return;
    width = holder.clientWidth;
    draw();
  }).observe(holder);
}

export function loadChart(options: LoadChartOptions): HTMLElement {
  const { from, to, series } = options;
  const width = options.widthPx > 0 ? Math.max(MIN_WIDTH, Math.round(options.widthPx)) : 720;
  const height = width < 500 ? 220 : 260;
  // A time label is about 70 px wide: five fit on a desktop, three on a phone.
  const timeTickCount = width < 500 ? 3 : 5;
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const ticks = niceTicks(options.maxValue ?? Math.max(0, ...values) * 1.05);
  const top = ticks.at(-1) ?? 1;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (at: number) => PAD.left + ((at - from) / (to - from)) * plotW;
  const y = (value: number) => PAD.top + plotH - (value / top) * plotH;

  const grid = ticks.map((tick) =>
    svg(
      'g',
      { class: 'tick' },
      svg('line', { x1: PAD.left, x2: width - PAD.right, y1: y(tick), y2: y(tick) }),
      svg('text', { x: PAD.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, formatNumber(tick)),
    ),
  );
  const last = timeTickCount - 1;
  const timeTicks = Array.from({ length: timeTickCount }, (_, i) => from + ((to - from) * i) / last).map((at, i) =>
    svg(
      'text',
      { class: 'tick', x: x(at), y: height - 8, 'text-anchor': i === 0 ? 'start' : i === last ? 'end' : 'middle' },
      formatClock(at, to - from > 6 * 3600_000),
    ),
  );
  const lines = series.map((s) =>
    svg('path', {
      class: `series ${s.className}${s.limit ? ' limit' : ''}`,
      'data-series': s.name,
      d: linePath(s.points, x, y, s.limit ? Infinity : options.gapMs),
    }),
  );
  const summary = series
    .map((s) =>
      s.points.length
        ? t('common.chart.latest', {
            name: s.name,
            value: `${formatNumber(s.points.at(-1)!.value, 1)} ${options.unit}`,
          })
        : t('common.chart.noData', { name: s.name }),
    )
    .join('; ');
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `${options.title}. ${summary}`,
      class: 'load-chart',
    },
    svg('text', { class: 'axis-unit', x: 4, y: 12 }, options.unit),
    ...grid,
    ...timeTicks,
    ...lines,
  );
  const legend = el(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    ...series.map((s) =>
      el('li', {}, el('span', { class: `swatch ${s.className}${s.limit ? ' limit' : ''}` }), s.name),
    ),
  );
  return el('figure', { class: 'chart' }, chart, el('figcaption', {}, options.title), legend);
}
