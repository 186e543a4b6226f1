/**
 * The load chart's data as a table (in a closed <details> under the chart): what a screen reader can read instead
 * of the drawing, and the rows the load history CSV holds, per phase, in the chart's unit.
 */
import { dataTable } from './data-table';
import { el, replaceChildren } from './element';
import { formatNumber, formatTime } from './i18n/format';
import { t } from './i18n/i18n';
import type { ChartUnit, PhasePoint } from './phase-load-series';

export interface PhaseRow extends PhasePoint {
  readonly budget: number | null;
  readonly fuse: number | null;
}

export interface PhaseLoadData {
  /** A closed <details>; it stays open or closed while the rows are replaced. */
  readonly node: HTMLElement;
  show(rows: readonly PhaseRow[], unit: ChartUnit, nominalVolts: number): void;
}

export function phaseLoadData(): PhaseLoadData {
  const holder = el('div', {});
  return {
    node: el('details', { class: 'chart-data' }, el('summary', {}, t('common.chart.showData')), holder),
    show: (rows, unit, nominalVolts) => replaceChildren(holder, phaseLoadTable(rows, unit, nominalVolts)),
  };
}

function phaseLoadTable(rows: readonly PhaseRow[], unit: ChartUnit, nominalVolts: number): HTMLElement {
  const scale = unit === 'kW' ? nominalVolts / 1000 : 1;
  const value = (amps: number | null | undefined) =>
    amps === null || amps === undefined ? '–' : formatNumber(amps * scale, 1);
  const phase = (name: 'grid' | 'ev', index: number) => ({
    header: `${t(`common.chart.${name}`, { phase: `L${index + 1}` })} ${unit}`,
    cell: (r: PhaseRow) => value(r[name]?.[index]),
    numeric: true,
  });
  return dataTable<PhaseRow>({
    caption: t('common.chart.dataCaption', { unit }),
    testId: 'load-data',
    rows,
    columns: [
      {
        header: t('common.chart.time'),
        cell: (r) => el('time', { datetime: new Date(r.at).toISOString() }, formatTime(r.at)),
      },
      ...[0, 1, 2].map((i) => phase('grid', i)),
      ...[0, 1, 2].map((i) => phase('ev', i)),
      { header: `${t('common.chart.budget')} ${unit}`, cell: (r) => value(r.budget), numeric: true },
      { header: `${t('common.chart.fuse')} ${unit}`, cell: (r) => value(r.fuse), numeric: true },
    ],
  });
}
