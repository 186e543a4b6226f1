/**
 * The load chart's lines per phase: the grid connection's L1, L2, L3 (where metered) and what the chargers are
 * allocated on each, with the budget and the fuse as limits; in amps per phase or in kW per phase (amps times the
 * site's nominal phase voltage), for the dashboard and the console alike.
 */
import type { ChartPoint, ChartSeries } from './load-chart';
import { t } from './i18n/i18n';

export type ChartUnit = 'A' | 'kW';
export const CHART_UNITS: readonly ChartUnit[] = ['A', 'kW'];

export interface PhasePoint {
  readonly at: number;
  /** The grid meter's L1, L2, L3; null where there was no reading. */
  readonly grid: readonly number[] | null;
  /** The chargers' allocation on L1, L2, L3; null where unknown. */
  readonly ev: readonly number[] | null;
}

export interface PhaseSeriesInput {
  readonly points: readonly PhasePoint[];
  /** Amps per phase over time; empty when unknown. */
  readonly budget: readonly ChartPoint[];
  readonly fuse: readonly ChartPoint[];
  readonly unit: ChartUnit;
  readonly nominalVolts: number;
}

const PHASES = [0, 1, 2] as const;

export function phaseSeries(input: PhaseSeriesInput): ChartSeries[] {
  const scale = input.unit === 'kW' ? input.nominalVolts / 1000 : 1;
  const line = (pick: (p: PhasePoint) => readonly number[] | null, phase: number): ChartPoint[] =>
    input.points.flatMap((p) => {
      const value = pick(p)?.[phase];
      return value === undefined ? [] : [{ at: p.at, value: value * scale }];
    });
  const scaled = (points: readonly ChartPoint[]) => points.map((p) => ({ at: p.at, value: p.value * scale }));
  const metered = input.points.some((p) => p.grid !== null);
  return [
    ...(metered
      ? PHASES.map((phase) => ({
          name: t('common.chart.grid', { phase: `L${phase + 1}` }),
          className: `series-l${phase + 1}`,
          points: line((p) => p.grid, phase),
        }))
      : []),
    ...PHASES.map((phase) => ({
      name: t('common.chart.ev', { phase: `L${phase + 1}` }),
      className: `series-l${phase + 1} series-ev-phase`,
      points: line((p) => p.ev, phase),
    })),
    ...(input.budget.length
      ? [{ name: t('common.chart.budget'), className: 'series-budget', limit: true, points: scaled(input.budget) }]
      : []),
    ...(input.fuse.length
      ? [{ name: t('common.chart.fuse'), className: 'series-fuse', limit: true, points: scaled(input.fuse) }]
      : []),
  ];
}
