/** The load chart's A / kW switch: two pressed-or-not buttons; the chart redraws in the chosen unit. */
import { el } from './element';
import { t } from './i18n/i18n';
import { CHART_UNITS, type ChartUnit } from './phase-load-series';

export function chartUnitSwitch(initial: ChartUnit, onChange: (unit: ChartUnit) => void): HTMLElement {
  const buttons = CHART_UNITS.map((unit) =>
    el(
      'button',
      {
        type: 'button',
        'aria-pressed': String(unit === initial),
        onclick: () => {
          buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(CHART_UNITS[i] === unit)));
          onChange(unit);
        },
      },
      unit,
    ),
  );
  return el('div', { class: 'segmented', role: 'group', 'aria-label': t('common.chart.unit') }, ...buttons);
}
