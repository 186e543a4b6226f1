/** Every field of the shared load-management policy as a labelled form; reads back a policy input for PolicySchema. */
import {
  DemandControlSchema,
  DISTRIBUTIONS,
  type Distribution,
  type Policy,
} from '../../../shared/policy/policy-schema';
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
import { formatNumber } from '../i18n/format';
import { t, type MessageKey } from '../i18n/i18n';
import { rowList } from './row-list';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The distribution choices of the form (dashboard and fleet console), in schema order; a distribution the schema gains without a label in the catalogues does not compile. */
export const distributionChoices = () =>
  DISTRIBUTIONS.map((value: Distribution) => ({ value, label: t(`policy.distribution.${value}`) }));

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
  const n = (
    path: string,
    label: MessageKey,
    hint?: MessageKey,
    extra: { step?: number; emptyIsNull?: boolean } = {},
  ) => numberField({ path, label: t(label), min: 0, ...(hint ? { hint: t(hint) } : {}), ...extra });
  const unit = selectField({
    path: 'budget.unit',
    label: t('policy.budgetUnit'),
    choices: [
      { value: 'A', label: t('policy.unitA') },
      { value: 'kW', label: t('policy.unitKw') },
    ],
  });
  const mode = selectField({
    path: 'control.mode',
    label: t('policy.mode'),
    choices: [
      { value: 'static', label: t('policy.modeStatic') },
      { value: 'dynamic', label: t('policy.modeDynamic') },
    ],
  });
  const general = [
    selectField({ path: 'distribution', label: t('policy.distributionLabel'), choices: distributionChoices() }),
    selectField({
      path: 'granularityAmps',
      label: t('policy.granularity'),
      numeric: true,
      choices: [
        { value: '0.1', label: '0.1 A' },
        { value: '0.5', label: '0.5 A' },
        { value: '1', label: '1 A' },
      ],
    }),
    n('measurementMaxAgeSeconds', 'policy.measurementMaxAge', 'policy.measurementMaxAgeHint'),
  ];
  const budget = [
    unit,
    n('budget.min', 'policy.budgetMin', 'policy.budgetMinHint'),
    n('budget.max', 'policy.budgetMax', 'policy.budgetMaxHint'),
  ];
  const dynamic = [
    n('control.gridLimitAmps', 'policy.gridLimit', 'policy.gridLimitHint'),
    n('control.safetyMarginAmps', 'policy.safetyMargin'),
    n('control.staleMeter.afterSeconds', 'policy.meterLostAfter'),
    n('control.staleMeter.fallbackAmps', 'policy.meterLostFallback'),
  ];
  const safety = [
    n('failSafe.connectorAmps', 'policy.failSafe', 'policy.failSafeHint'),
    n('phaseImbalance.maxAmps', 'policy.imbalance', 'policy.imbalanceHint', { emptyIsNull: true }),
    n('hysteresis.stepAmps', 'policy.hysteresisStep'),
    n('hysteresis.minPauseSeconds', 'policy.minPause'),
    n('hysteresis.minActiveSeconds', 'policy.minActive'),
    n('rotation.intervalSeconds', 'policy.rotation', 'policy.rotationHint'),
  ];
  const closedLoop = [
    checkboxField({ path: 'closedLoop.enabled', label: t('policy.closedLoopEnabled') }),
    n('closedLoop.thresholdAmps', 'policy.threshold'),
    n('closedLoop.marginAmps', 'policy.margin'),
    n('closedLoop.settleSeconds', 'policy.settle'),
  ];
  const demand = [
    checkboxField({ path: 'demandControl.enabled', label: t('policy.demandEnabled') }),
    selectField({
      path: 'demandControl.periodMinutes',
      label: t('policy.demandPeriod'),
      numeric: true,
      choices: [...DemandControlSchema.shape.periodMinutes.unwrap().values].map((minutes) => ({
        value: String(minutes),
        label: t('policy.demandPeriodMinutes', { minutes: formatNumber(minutes) }),
      })),
    }),
    n('demandControl.targetKw', 'policy.demandTarget', 'policy.demandTargetHint', { emptyIsNull: true }),
    checkboxField({ path: 'demandControl.followMonthPeak', label: t('policy.demandFollowPeak') }),
    n('demandControl.floorKw', 'policy.demandFloor'),
    n('demandControl.marginKw', 'policy.demandMargin', 'policy.demandMarginHint'),
  ];
  const vip = [
    checkboxField({ path: 'vip.enabled', label: t('policy.vipEnabled') }),
    listField({ path: 'vip.idTags', label: t('policy.vipIdTags'), hint: t('policy.commaSeparated') }),
    listField({ path: 'vip.connectors', label: t('policy.vipConnectors'), hint: t('policy.vipConnectorsHint') }),
  ];
  const schedules = rowList({
    path: 'schedules',
    legend: t('policy.schedules'),
    itemLabel: t('policy.schedule'),
    addLabel: t('policy.addSchedule'),
    onChange,
    rowFields: (p) => [
      choiceGroupField({
        path: `${p}.days`,
        label: t('policy.scheduleDays'),
        choices: DAYS.map((d) => ({ value: d, label: t(`policy.days.${d}`) })),
      }),
      textField({ path: `${p}.from`, label: t('policy.from'), placeholder: '17:00' }),
      textField({ path: `${p}.to`, label: t('policy.to'), placeholder: '21:00' }),
      numberField({ path: `${p}.budgetMax`, label: t('policy.scheduleBudget'), min: 0 }),
    ],
  });
  const levels = rowList({
    path: 'priorityLevels',
    legend: t('policy.levels'),
    itemLabel: t('policy.level'),
    addLabel: t('policy.addLevel'),
    onChange,
    rowFields: (p) => [
      numberField({ path: `${p}.level`, label: t('policy.levelNumber'), min: 1, step: 1 }),
      listField({ path: `${p}.idTags`, label: t('policy.idTags') }),
      listField({ path: `${p}.connectors`, label: t('policy.connectors') }),
    ],
  });

  const dynamicSet = el(
    'fieldset',
    {},
    el('legend', {}, t('policy.groupDynamic')),
    el('div', { class: 'grid' }, ...dynamic.map((f) => f.node)),
  );
  const showMode = () => (dynamicSet.hidden = mode.read() !== 'dynamic');
  mode.control.addEventListener('change', showMode);
  const group = (legend: string, fields: FormField[]) =>
    el('fieldset', {}, el('legend', {}, legend), el('div', { class: 'grid' }, ...fields.map((f) => f.node)));
  const node = el(
    'div',
    { class: 'policy-form', oninput: onChange, onchange: onChange },
    group(t('policy.groupDistribution'), general),
    group(t('policy.groupBudget'), budget),
    group(t('policy.groupMode'), [mode]),
    dynamicSet,
    group(t('policy.groupSafety'), safety),
    group(t('policy.groupClosedLoop'), closedLoop),
    group(t('policy.groupDemand'), demand),
    group(t('policy.groupVip'), vip),
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
    ...demand,
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
      for (const field of [...general, ...budget, mode, ...dynamic, ...safety, ...closedLoop, ...demand, ...vip])
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
