/**
 * A site's peak-demand months (docs/demand-control.md, "In the cloud"): the peak with control, the agent's estimate
 * without it, the kW avoided and, at the site's capacity tariff (per kW and year or month, in a currency; set here
 * and kept with the site in the cloud), the money saved each month.
 */
import { DemandMonthsAnswerSchema, type DemandMonthsAnswer } from '../../../shared/demand/demand-months-answer';
import { DemandTariffAnswerSchema } from '../../../shared/demand/demand-tariff';
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
        header:
          answer.tariff?.currency === undefined
            ? t('console.demand.saved')
            : t('console.demand.savedIn', { currency: answer.tariff.currency }),
        cell: (m) => (m.saved === null ? '–' : formatNumber(m.saved, 2)),
        numeric: true,
      },
    ],
  });
}

export function siteDemandSection(ctx: PageContext, siteId: string): HTMLElement {
  const path = `/sites/${encodeURIComponent(siteId)}`;
  const holder = el('div', {}, t('console.demand.loading'));
  const live = liveRegion('demand-status');
  const tariff = el('input', { id: 'demand-tariff', type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
  const per = el(
    'select',
    { id: 'demand-tariff-per' },
    el('option', { value: 'year' }, t('console.demand.perYear')),
    el('option', { value: 'month' }, t('console.demand.perMonth')),
  );
  const currency = el('input', {
    id: 'demand-currency',
    maxlength: 3,
    size: 4,
    autocomplete: 'off',
    value: 'EUR',
  });
  /** The months, with the money saved at the site's own tariff (kept in the cloud). */
  const loadMonths = async () => {
    try {
      replaceChildren(holder, monthsTable(await ctx.api.get(`${path}/demand-months`, DemandMonthsAnswerSchema)));
    } catch (error) {
      live.say(t('console.demand.cannotLoad', { error: describeError(error) }), 'error');
    }
  };
  const loadTariff = async () => {
    try {
      const { tariff: kept } = await ctx.api.get(`${path}/demand-tariff`, DemandTariffAnswerSchema);
      if (kept === null) return;
      tariff.value = String(kept.perKw);
      per.value = kept.per;
      currency.value = kept.currency;
    } catch (error) {
      live.say(t('console.demand.cannotLoad', { error: describeError(error) }), 'error');
    }
  };
  const save = async () => {
    const body = { perKw: Number(tariff.value), per: per.value as Per, currency: currency.value.trim().toUpperCase() };
    try {
      await ctx.api.send('PUT', `${path}/demand-tariff`, body, DemandTariffAnswerSchema);
      live.say(t('console.demand.tariffSaved'));
      await loadMonths();
    } catch (error) {
      live.say(t('console.demand.cannotSave', { error: describeError(error) }), 'error');
    }
  };
  void loadTariff();
  void loadMonths();
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'demand-heading' },
    el('h2', { id: 'demand-heading' }, t('console.demand.heading')),
    el('p', { class: 'muted' }, t('console.demand.explain')),
    el(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => (e.preventDefault(), void save()) },
      el('label', { for: 'demand-tariff' }, t('console.demand.tariff')),
      tariff,
      el('label', { for: 'demand-tariff-per' }, t('console.demand.per')),
      per,
      el('label', { for: 'demand-currency' }, t('console.demand.currency')),
      currency,
      el('button', { type: 'submit' }, t('console.demand.apply')),
    ),
    holder,
    live.node,
  );
}
