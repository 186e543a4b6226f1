/** The load history as CSV (the dashboard's GET /api/load.csv): per phase, times ISO 8601 UTC, currents in amps. */
import type { CsvCell } from '../csv';
import type { LoadSample } from './api-answers';

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

/** A sample as a CSV row of LOAD_CSV_HEADER; a phase without a grid reading is empty. */
export function loadCsvRow(sample: LoadSample): CsvCell[] {
  const grid = sample.gridAmps ?? [null, null, null];
  return [new Date(sample.at).toISOString(), ...grid, ...sample.evAmps, sample.budgetAmps, sample.fuseAmps];
}
