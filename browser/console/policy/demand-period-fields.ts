/**
 * The allocation preview's demand period (peak-demand control): where a period stands, sent as the preview's `demand`
 * (`shared/demand/demand-preview.ts` on the cloud) when ticked, and the cap it gives the chargers in words.
 */
import type { DemandPeriodStateInput } from '../../../shared/demand/demand-preview';
import type { DemandPreviewView } from '../api-schemas';
import { el } from '../../ui/element';
import { checkboxField, numberField } from '../../ui/form-fields';
import { formatNumber } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';

export interface DemandPeriodFields {
  readonly node: HTMLElement;
  /** The demand state to preview (a field left empty is left out); undefined when not within a demand period. */
  read(): { [K in keyof DemandPeriodStateInput]?: number | undefined } | undefined;
}

export function demandPeriodFields(): DemandPeriodFields {
  const within = checkboxField({
    path: 'demand.enabled',
    label: t('console.preview.demandWithin'),
    hint: t('console.preview.demandWithinHint'),
  });
  const kw = (path: string, label: string, hint?: string) =>
    numberField({ path: `demand.${path}`, label, min: 0, ...(hint !== undefined && { hint }) });
  const average = kw('averageSoFarKw', t('console.preview.demandAverage'));
  // In minutes here (a period lasts 5 to 60); the API takes seconds, so a refusal names `demand.secondsIntoPeriod`.
  const minutes = kw('secondsIntoPeriod', t('console.preview.demandMinutes'));
  const other = kw('otherKw', t('console.preview.demandOther'), t('console.preview.demandOtherHint'));
  const monthPeak = kw('monthPeakKw', t('console.preview.demandMonthPeak'), t('console.preview.demandMonthPeakHint'));
  const state = el('div', { class: 'grid', hidden: true }, average.node, minutes.node, other.node, monthPeak.node);
  within.control.addEventListener('change', () => (state.hidden = within.read() !== true));
  const number = (field: typeof average) => {
    const value = field.read();
    return typeof value === 'number' ? value : undefined;
  };
  return {
    node: el('fieldset', {}, el('legend', {}, t('console.preview.demandLegend')), within.node, state),
    read: () => {
      if (within.read() !== true) return undefined;
      const into = number(minutes);
      return {
        averageSoFarKw: number(average),
        secondsIntoPeriod: into === undefined ? undefined : into * 60,
        otherKw: number(other),
        monthPeakKw: number(monthPeak),
      };
    },
  };
}

/** The preview's demand period in words: the target, where the period stands, and the chargers' cap it gives. */
export function demandLine(demand: DemandPreviewView): HTMLElement {
  const seconds = Math.round(demand.secondsIntoPeriod);
  const kw = (value: number) => formatNumber(value, 1);
  return el(
    'p',
    { 'data-testid': 'preview-demand' },
    t('console.preview.demandLine', {
      target: kw(demand.targetKw),
      into: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
      minutes: formatNumber(demand.periodMinutes),
      average: kw(demand.averageSoFarKw),
      other: kw(demand.otherKw),
      cap: kw(demand.chargersCapKw),
      forecast: kw(demand.forecastKw),
    }),
  );
}
