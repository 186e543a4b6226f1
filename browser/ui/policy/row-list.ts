/** A repeatable group of fields (schedules, priority levels): add and remove rows, each row with its own error slot. */
import type { ErrorTarget } from '../field-issues';
import { el } from '../element';
import type { FormField } from '../form-fields';
import { formatNumber } from '../i18n/format';
import { t } from '../i18n/i18n';

export interface RowList {
  readonly node: HTMLElement;
  readonly fields: () => FormField[];
  /** The list's and each row's error slots (`schedules`, `schedules[1]`), for issues about a whole row. */
  readonly targets: () => ErrorTarget[];
  write(items: readonly unknown[]): void;
  /** Writes the rows into `out` at `path` (an empty list stays an empty array). */
  readInto(out: Record<string, unknown>): void;
}

interface Row {
  readonly fields: FormField[];
  readonly target: ErrorTarget;
  readonly node: HTMLElement;
}

export function rowList(options: {
  path: string;
  legend: string;
  itemLabel: string;
  addLabel: string;
  rowFields: (prefix: string) => FormField[];
  onChange: () => void;
}): RowList {
  const rows: Row[] = [];
  const holder = el('div', {});
  const listError = el('p', { class: 'field-error', 'data-error-for': options.path, hidden: true });
  const slot = (node: HTMLElement) => (message: string | null) => {
    node.textContent = message ?? '';
    node.hidden = message === null;
  };

  const rebuild = (values: readonly unknown[]) => {
    rows.length = 0;
    holder.replaceChildren();
    values.forEach((value, i) => {
      const prefix = `${options.path}[${i}]`;
      const fields = options.rowFields(prefix);
      fields.forEach((f) => f.write((value as Record<string, unknown>)[f.path.slice(prefix.length + 1)]));
      const error = el('p', { class: 'field-error', 'data-error-for': prefix, hidden: true });
      const remove = el(
        'button',
        { type: 'button', onclick: () => (rebuild(currentValues().filter((_, j) => j !== i)), options.onChange()) },
        t('policy.removeRow', { item: options.itemLabel, number: formatNumber(i + 1) }),
      );
      const node = el(
        'fieldset',
        { class: 'row' },
        el('legend', {}, t('policy.row', { item: options.itemLabel, number: formatNumber(i + 1) })),
        el('div', { class: 'grid' }, ...fields.map((f) => f.node)),
        error,
        remove,
      );
      rows.push({ fields, node, target: { path: prefix, setError: slot(error), control: fields[0]?.control } });
      holder.append(node);
    });
  };

  const currentValues = () =>
    rows.map((row) => {
      const item: Record<string, unknown> = {};
      for (const f of row.fields) {
        const value = f.read();
        if (value !== undefined) item[f.path.slice(f.path.indexOf('].') + 2)] = value;
      }
      return item;
    });

  const add = el(
    'button',
    { type: 'button', onclick: () => (rebuild([...currentValues(), {}]), options.onChange()) },
    options.addLabel,
  );
  const node = el('fieldset', {}, el('legend', {}, options.legend), holder, listError, add);
  return {
    node,
    fields: () => rows.flatMap((r) => r.fields),
    targets: () => [{ path: options.path, setError: slot(listError) }, ...rows.map((r) => r.target)],
    write: rebuild,
    readInto: (out) => {
      out[options.path] = currentValues();
    },
  };
}
