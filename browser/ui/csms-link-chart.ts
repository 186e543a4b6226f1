/**
 * The link to the operator's CSMS over time, for the console's site page and the dashboard's monitoring page: the
 * share of chargers linked (0–100 %) and the messages queued for the CSMS, as two charts on one time axis (the two
 * figures have nothing in common but time, so one axis for both would flatten one of them).
 */
import type { CsmsLinkFigures } from '../../shared/sync/csms-link-figures';
import { el } from './element';
import { t } from './i18n/i18n';
import { loadChart, type ChartPoint } from './load-chart';

const FEW_MESSAGES = 4;

export interface CsmsLinkPoint extends CsmsLinkFigures {
  readonly at: number;
}

export interface CsmsLinkChartOptions {
  readonly points: readonly CsmsLinkPoint[];
  readonly from: number;
  readonly to: number;
  readonly hours: 'hour' | 'day';
  /** Points further apart than this are not joined (no figures: the agent or its cloud link was down). */
  readonly gapMs: number;
  readonly widthPx: number;
}

export function csmsLinkChart(options: CsmsLinkChartOptions): HTMLElement {
  const { points, from, to, gapMs, widthPx } = options;
  const linked: ChartPoint[] = points.flatMap((p) =>
    p.linkedPercent === null ? [] : [{ at: p.at, value: p.linkedPercent }],
  );
  const queued: ChartPoint[] = points.map((p) => ({ at: p.at, value: p.backlogMessages }));
  const peak = Math.max(0, ...queued.map((p) => p.value));
  const range = options.hours === 'hour' ? t('common.csmsLink.lastHour') : t('common.csmsLink.lastDay');
  return el(
    'div',
    { class: 'csms-link-charts' },
    loadChart({
      title: t('common.csmsLink.linkedTitle', { range }),
      from,
      to,
      unit: '%',
      maxValue: 100,
      series: [{ name: t('common.csmsLink.linked'), className: 'series-linked', points: linked }],
      gapMs,
      widthPx,
    }),
    loadChart({
      title: t('common.csmsLink.queuedTitle', { range }),
      from,
      to,
      unit: t('common.csmsLink.messages'),
      // Whole messages on the axis while few are queued (an axis fitted to 0 or 1 would step in fractions).
      ...(peak < FEW_MESSAGES && { maxValue: FEW_MESSAGES }),
      series: [{ name: t('common.csmsLink.queued'), className: 'series-queued', points: queued }],
      gapMs,
      widthPx,
    }),
  );
}
