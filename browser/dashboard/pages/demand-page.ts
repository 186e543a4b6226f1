/**
 * Peak demand (docs/demand-control.md): the period being counted (its average so far, the forecast, the target, the
 * cap given to the chargers, whether it is uncertain) and each month's peak, newest first. Kept current by the
 * `demand` live updates the agent sends with every control round.
 */
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatClock, formatNumber, formatTime } from '../../ui/i18n/format';
import { currentLocale, t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { DemandAnswerSchema, type DemandAnswer } from '../../../shared/dashboard/demand-answer';
import type { Page, PageContext } from '../page-context';
import { factsList } from './facts-list';

type MonthPeakView = DemandAnswer['monthPeaks'][number];

const kw = (value: number | null) =>
  value === null ? '–' : t('dashboard.demand.kw', { value: formatNumber(value, 1) });

/** `2026-12` as the page's language names it ("December 2026", "Dezember 2026"). */
function monthName(month: string): string {
  const [year, index] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(currentLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year ?? 0, (index ?? 1) - 1, 1),
  );
}

function periodFacts(answer: DemandAnswer): HTMLElement {
  const { period } = answer;
  if (!answer.enabled) return el('p', { class: 'muted', 'data-testid': 'demand-off' }, t('dashboard.demand.off'));
  if (period === null)
    return el('p', { class: 'muted', 'data-testid': 'demand-waiting' }, t('dashboard.demand.waiting'));
  const span = t('dashboard.demand.periodSpan', {
    from: formatTime(period.start),
    to: formatClock(period.end, false),
  });
  return factsList(
    [
      [t('dashboard.demand.period'), span],
      [t('dashboard.demand.averageSoFar'), kw(answer.averageSoFarKw)],
      [t('dashboard.demand.forecast'), kw(answer.forecastKw)],
      [t('dashboard.demand.target'), answer.targetKw === null ? t('dashboard.demand.noTarget') : kw(answer.targetKw)],
      [t('dashboard.demand.chargersCap'), kw(answer.chargersCapKw)],
      [
        t('dashboard.demand.count'),
        answer.uncertain ? badge(t('dashboard.demand.uncertain'), 'warn') : badge(t('dashboard.demand.measured'), 'ok'),
      ],
    ],
    'demand-period',
  );
}

function peaksTable(answer: DemandAnswer): HTMLElement {
  const thisMonth = answer.period?.month;
  return dataTable<MonthPeakView>({
    caption: t('dashboard.demand.peaksCaption'),
    testId: 'demand-peaks',
    rows: [...answer.monthPeaks].reverse(),
    empty: t('dashboard.demand.noPeaks'),
    columns: [
      {
        header: t('dashboard.demand.month'),
        cell: (p) =>
          p.month === thisMonth
            ? el('span', {}, monthName(p.month), ' ', badge(t('dashboard.demand.thisMonth'), 'muted'))
            : monthName(p.month),
      },
      { header: t('dashboard.demand.peak'), cell: (p) => kw(p.kw), numeric: true },
      { header: t('dashboard.demand.peakPeriod'), cell: (p) => formatTime(p.at) },
    ],
  });
}

export function demandPage(ctx: PageContext): Page {
  const current = el('div', {}, t('common.loading'));
  const peaks = el('div', {});
  const status = liveRegion('demand-status');
  const show = (answer: DemandAnswer) => {
    replaceChildren(current, periodFacts(answer));
    replaceChildren(peaks, peaksTable(answer));
  };
  const refresh = async () => {
    try {
      show(await ctx.api.get('/demand', DemandAnswerSchema));
    } catch (error) {
      status.say(t('dashboard.demand.cannotRead', { error: describeError(error) }), 'error');
    }
  };
  void refresh();
  const stop = ctx.live.on('demand', DemandAnswerSchema, show);
  const node = el(
    'div',
    {},
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'demand-period-heading' },
      el(
        'div',
        { class: 'section-head' },
        el('h2', { id: 'demand-period-heading' }, t('dashboard.demand.periodHeading')),
        el('button', { type: 'button', onclick: () => void refresh() }, t('common.refresh')),
      ),
      current,
      status.node,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'demand-peaks-heading' },
      el('h2', { id: 'demand-peaks-heading' }, t('dashboard.demand.peaksHeading')),
      peaks,
    ),
  );
  return { title: t('dashboard.sections.demand'), node, dispose: stop };
}
