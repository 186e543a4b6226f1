/** An accessible table from column definitions: caption, header cells with scope, an empty-state row. */
import { el } from './element';
import { t } from './i18n/i18n';

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => Node | string | number;
  /** Right-aligned numbers. */
  readonly numeric?: boolean;
}

export function dataTable<Row>(options: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  empty?: string;
  testId?: string;
}): HTMLElement {
  const { columns, rows } = options;
  const head = el(
    'tr',
    {},
    ...columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.header)),
  );
  const body = rows.length
    ? rows.map((row) =>
        el(
          'tr',
          {},
          ...columns.map((c) => el('td', { class: c.numeric ? 'num' : null, 'data-label': c.header }, c.cell(row))),
        ),
      )
    : [el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, options.empty ?? t('common.nothingToShow')))];
  // The wrapper scrolls sideways on narrow screens instead of squeezing the columns.
  return el(
    'div',
    { class: 'table-scroll', 'data-testid': options.testId },
    el('table', {}, el('caption', {}, options.caption), el('thead', {}, head), el('tbody', {}, ...body)),
  );
}
