/**
 * The load history as CSV, per phase (the dashboard's GET /api/load.csv, the console's GET
 * /sites/{siteId}/telemetry.csv): times ISO 8601 UTC, currents in amps; what is unknown is empty.
 */
import type { CsvCell } from './csv';

/** The columns, in order: the grid meter's and the chargers' L1, L2, L3, then the budget and the fuse per phase. */
export const LOAD_CSV_HEADER = [
  'time',
  'grid L1 A',
  'grid L2 A',
  'grid L3 A',
  'EV L1 A',
  'EV L2 A',
  'EV L3 A',
  'budget A',
  'fuse A',
];

export interface LoadCsvPoint {
  readonly at: number;
  readonly gridAmps: readonly number[] | null;
  readonly evAmps: readonly number[] | null;
  readonly budgetAmps: number | null;
  readonly fuseAmps: number | null;
}

const phases = (amps: readonly number[] | null): CsvCell[] => [amps?.[0] ?? null, amps?.[1] ?? null, amps?.[2] ?? null];

/** A point as a CSV row of LOAD_CSV_HEADER. */
export function loadCsvRow(point: LoadCsvPoint): CsvCell[] {
  return [
    new Date(point.at).toISOString(),
    ...phases(point.gridAmps),
    ...phases(point.evAmps),
    point.budgetAmps,
    point.fuseAmps,
  ];
}
