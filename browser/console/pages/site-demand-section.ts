/**
 * A site's peak-demand months (docs/demand-control.md, "In the cloud"): the peak with control, the agent's estimate
 * without it, the kW avoided and, at the capacity tariff entered here (per kW and year or month, kept in this
 * browser per site), the money saved each month.
 */
import { DemandMonthsAnswerSchema, type DemandMonthsAnswer } from '../../../shared/demand/demand-months-answer';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatNumber } from '../../ui/i18n/format';
import { currentLocale, t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import type { PageContext } from '../page-context';

type Month = DemandMonthsAnswer['months'][number];
type Per = 'year' | 'month';

const kw = (value: number) => t('console.demand.kw', { value: formatNumber(value, 1) });

function monthName(month: string): string {
  const [year = 0, index = 1] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(currentLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year, index - 1, 1),
  );
}

function monthsTable(answer: DemandMonthsAnswer): HTMLElement {
  return dataTable<Month>({
    caption: t('console.demand.caption'),
    testId: 'demand-months',
    rows: [...answer.months].reverse(),
    empty: t('console.demand.none'),
    columns: [
      { header: t('console.demand.month'), cell: (m) => monthName(m.month) },
      { header: t('console.demand.peak'), cell: (m) => kw(m.peakKw), numeric: true },
      { header: t('console.demand.uncontrolled'), cell: (m) => kw(m.uncontrolledPeakKw), numeric: true },
      { header: t('console.demand.avoided'), cell: (m) => kw(m.avoidedKw), numeric: true },
      {
        header: t('console.demand.saved'),
        cell: (m) => (m.saved === null ? '–' : formatNumber(m.saved, 2)),
        numeric: true,
      },
    ],
  });
}

export function siteDemandSection(ctx: PageContext, siteId: string): HTMLElement {
  const key = `ampshare.tariff.${siteId}`;
  const kept = (() => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? 'null') as { perKw?: unknown; per?: unknown } | null;
    } catch {
      return null;
    }
  })();
  const holder = el('div', {}, t('console.demand.loading'));
  const live = liveRegion('demand-status');
  const tariff = el('input', {
    id: 'demand-tariff',
    type: 'number',
    min: 0,
    step: 'any',
    inputmode: 'decimal',
    value: typeof kept?.perKw === 'number' ? kept.perKw : '',
  });
  const per = el(
    'select',
    { id: 'demand-tariff-per' },
    el('option', { value: 'year' }, t('console.demand.perYear')),
    el('option', { value: 'month' }, t('console.demand.perMonth')),
  );
  per.value = kept?.per === 'month' ? 'month' : 'year';
  const load = async () => {
    const perKw = tariff.value === '' ? undefined : Number(tariff.value);
    const query = perKw === undefined || !Number.isFinite(perKw) ? '' : `?tariff=${perKw}&per=${per.value as Per}`;
    if (query !== '') localStorage.setItem(key, JSON.stringify({ perKw, per: per.value }));
    try {
      const answer = await ctx.api.get(
        `/sites/${encodeURIComponent(siteId)}/demand-months${query}`,
        DemandMonthsAnswerSchema,
      );
      replaceChildren(holder, monthsTable(answer));
    } catch (error) {
      live.say(t('console.demand.cannotLoad', { error: describeError(error) }), 'error');
    }
  };
  void load();
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'demand-heading' },
    el('h2', { id: 'demand-heading' }, t('console.demand.heading')),
    el('p', { class: 'muted' }, t('console.demand.explain')),
    el(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => (e.preventDefault(), void load()) },
      el('label', { for: 'demand-tariff' }, t('console.demand.tariff')),
      tariff,
      el('label', { for: 'demand-tariff-per' }, t('console.demand.per')),
      per,
      el('button', { type: 'submit' }, t('console.demand.apply')),
    ),
    holder,
    live.node,
  );
}
