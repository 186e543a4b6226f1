/** Every field of the shared load-management policy as a labelled form; reads back a policy input for PolicySchema. */
import { DISTRIBUTIONS, type Distribution, type Policy } from '../../../shared/policy/policy-schema';
import { el } from '../element';
import type { ErrorTarget } from '../field-issues';
import { getPath, setPath } from '../object-path';
import {
  checkboxField,
  choiceGroupField,
  listField,
  numberField,
  selectField,
  textField,
  type FormField,
} from '../form-fields';
import { rowList } from './row-list';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => ({
  value: d,
  label: d[0]!.toUpperCase() + d.slice(1),
}));

// A Record, so a distribution the schema gains without a label here does not compile.
const DISTRIBUTION_LABELS: Record<Distribution, string> = {
  equal: 'Equally shared',
  priority: 'Prioritised (lower classes keep their minimum)',
  priorityStrict: 'Strictly prioritised (lower classes share what is left)',
};

/** The distribution choices of the form (dashboard and fleet console), in schema order. */
export const DISTRIBUTION_CHOICES = DISTRIBUTIONS.map((value) => ({ value, label: DISTRIBUTION_LABELS[value] }));

export interface PolicyForm {
  readonly node: HTMLElement;
  /** The form's values as a policy input (not yet validated). */
  read(): Record<string, unknown>;
  write(policy: Policy): void;
  targets(): ErrorTarget[];
  /** The label a field shows (`Budget max`, `Schedule 1 · From (HH:MM)`), or the path when the form has no such field. */
  label(path: string): string;
}

export function policyForm(onChange: () => void): PolicyForm {
  const n = (path: string, label: string, hint?: string, extra: { step?: number; emptyIsNull?: boolean } = {}) =>
    numberField({ path, label, min: 0, ...(hint ? { hint } : {}), ...extra });
  const unit = selectField({
    path: 'budget.unit',
    label: 'Budget unit',
    choices: [
      { value: 'A', label: 'A per phase' },
      { value: 'kW', label: 'kW cumulative power' },
    ],
  });
  const mode = selectField({
    path: 'control.mode',
    label: 'Load management',
    choices: [
      { value: 'static', label: 'Static (fixed budget)' },
      { value: 'dynamic', label: 'Dynamic (grid meter headroom)' },
    ],
  });
  const general = [
    selectField({ path: 'distribution', label: 'Energy distribution', choices: DISTRIBUTION_CHOICES }),
    selectField({
      path: 'granularityAmps',
      label: 'Granularity',
      numeric: true,
      choices: [
        { value: '0.1', label: '0.1 A' },
        { value: '0.5', label: '0.5 A' },
        { value: '1', label: '1 A' },
      ],
    }),
    n('measurementMaxAgeSeconds', 'Measurement max age (s)', 'Older measurements are not trusted.'),
  ];
  const budget = [
    unit,
    n('budget.min', 'Budget min', 'The lowest a schedule or setpoint may set.'),
    n('budget.max', 'Budget max', "The charging cluster's budget."),
  ];
  const dynamic = [
    n('control.gridLimitAmps', 'Grid limit (A per phase)', "Empty: each metered circuit's fuse."),
    n('control.safetyMarginAmps', 'Safety margin (A)'),
    n('control.staleMeter.afterSeconds', 'Meter lost after (s)'),
    n('control.staleMeter.fallbackAmps', 'Fallback while the meter is lost (A)'),
  ];
  const safety = [
    n('failSafe.connectorAmps', 'Fail-safe current per charger (A)', '0, or at least 6 A.'),
    n('phaseImbalance.maxAmps', 'Max phase imbalance (A)', 'Empty: no limit.', { emptyIsNull: true }),
    n('hysteresis.stepAmps', 'Hysteresis step (A)'),
    n('hysteresis.minPauseSeconds', 'Min pause (s)'),
    n('hysteresis.minActiveSeconds', 'Min active time (s)'),
    n('rotation.intervalSeconds', 'Rotation interval (s)', '0 turns rotation off.'),
  ];
  const closedLoop = [
    checkboxField({ path: 'closedLoop.enabled', label: 'Closed loop (limit cars to what they draw)' }),
    n('closedLoop.thresholdAmps', 'Threshold (A)'),
    n('closedLoop.marginAmps', 'Margin (A)'),
    n('closedLoop.settleSeconds', 'Settle time (s)'),
  ];
  const vip = [
    checkboxField({ path: 'vip.enabled', label: 'VIP charging' }),
    listField({ path: 'vip.idTags', label: 'VIP id tags', hint: 'Separated by commas.' }),
    listField({ path: 'vip.connectors', label: 'VIP connectors', hint: 'e.g. CP-1/1, CP-2/1' }),
  ];
  const schedules = rowList({
    path: 'schedules',
    legend: 'Budget schedules',
    itemLabel: 'Schedule',
    onChange,
    rowFields: (p) => [
      choiceGroupField({ path: `${p}.days`, label: 'Days', choices: DAYS }),
      textField({ path: `${p}.from`, label: 'From (HH:MM)', placeholder: '17:00' }),
      textField({ path: `${p}.to`, label: 'To (HH:MM)', placeholder: '21:00' }),
      numberField({ path: `${p}.budgetMax`, label: 'Budget max in this window', min: 0 }),
    ],
  });
  const levels = rowList({
    path: 'priorityLevels',
    legend: 'Priority levels',
    itemLabel: 'Level',
    onChange,
    rowFields: (p) => [
      numberField({ path: `${p}.level`, label: 'Level (1–9)', min: 1, step: 1 }),
      listField({ path: `${p}.idTags`, label: 'Id tags' }),
      listField({ path: `${p}.connectors`, label: 'Connectors' }),
    ],
  });

  const dynamicSet = el(
    'fieldset',
    {},
    el('legend', {}, 'Dynamic load management'),
    el('div', { class: 'grid' }, ...dynamic.map((f) => f.node)),
  );
  const showMode = () => (dynamicSet.hidden = mode.read() !== 'dynamic');
  mode.control.addEventListener('change', showMode);
  const group = (legend: string, fields: FormField[]) =>
    el('fieldset', {}, el('legend', {}, legend), el('div', { class: 'grid' }, ...fields.map((f) => f.node)));
  const node = el(
    'div',
    { class: 'policy-form', oninput: onChange, onchange: onChange },
    group('Distribution', general),
    group('Power budget', budget),
    group('Load management', [mode]),
    dynamicSet,
    group('Safety and stability', safety),
    group('Closed loop', closedLoop),
    group('VIP charging', vip),
    levels.node,
    schedules.node,
  );
  const fixed = () => [
    ...general,
    ...budget,
    mode,
    ...(mode.read() === 'dynamic' ? dynamic : []),
    ...safety,
    ...closedLoop,
    ...vip,
  ];

  return {
    node,
    read: () => {
      const out: Record<string, unknown> = { $schemaVersion: 1 };
      for (const field of fixed()) setPath(out, field.path, field.read());
      levels.readInto(out);
      schedules.readInto(out);
      return out;
    },
    write: (policy) => {
      for (const field of [...general, ...budget, mode, ...dynamic, ...safety, ...closedLoop, ...vip])
        field.write(getPath(policy, field.path));
      levels.write(policy.priorityLevels);
      schedules.write(policy.schedules);
      showMode();
    },
    targets: () => [...fixed(), ...levels.targets(), ...levels.fields(), ...schedules.targets(), ...schedules.fields()],
    label: (path) => {
      const field = node.querySelector(`[data-field="${CSS.escape(path)}"]`);
      const own = field?.querySelector(':scope > label, :scope > legend')?.textContent;
      if (!field || !own) return path;
      const row = field.closest('fieldset.row')?.querySelector(':scope > legend')?.textContent;
      return row ? `${row} · ${own}` : own;
    },
  };
}
