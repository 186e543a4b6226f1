/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field with a comma, quote or line break in double
 * quotes), for the exports of the dashboard and the console. A text field that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@` first: an id tag is whatever a card says) gets a leading apostrophe; numbers stay numbers.
 */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: numbers as they are, null empty, text guarded against formulas and quoted when needed. */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and data rows as one CSV document, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
