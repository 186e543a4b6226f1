/**
 * The fuse tree as an editable tree: each circuit (id, name, parent, fuse per phase, meter) indented under its parent,
 * with the chargers it feeds (circuit, phases, maximum); circuits and chargers can be added, moved and removed. The
 * preview shows what the edited site would allocate now, before it is saved.
 */
import type { FieldIssue } from '../../../../shared/errors';
import { SitePreviewViewSchema, type SiteInForceAnswer } from '../../../../shared/dashboard/site-setup-answers';
import type { SiteInput } from '../../../../shared/site/site-schema';
import { el, replaceChildren } from '../../../ui/element';
import { numberField, selectField, textField, type Choice, type FormField } from '../../../ui/form-fields';
import { t } from '../../../ui/i18n/i18n';
import { describeError } from '../../../ui/json-api';
import { liveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { freeCircuitId, treeOrder, type TreeDraft } from './circuit-tree-draft';
import { fuseField } from './fuse-field';
import { placedIssues } from './placed-issues';
import { saveSite, siteIssues, withinSite } from './site-save';
import { previewTables } from './site-preview-tables';

interface Bound {
  readonly field: FormField;
  apply(value: unknown): void;
}

export function circuitTreeEditor(
  ctx: PageContext,
  answer: SiteInForceAnswer,
  onSaved: (saved: SiteInForceAnswer) => void,
) {
  const draft: TreeDraft = structuredClone({
    circuits: answer.site.circuits,
    chargers: answer.site.chargers,
  }) as TreeDraft;
  const tree = el('div', { 'data-testid': 'circuit-tree' });
  const preview = el('div', { 'data-testid': 'site-preview' });
  const status = liveRegion('circuits-status');
  const summary = placedIssues('circuits-errors');
  let bound: Bound[] = [];
  // Applied after the other fields: a child's parent select still names the old id until the rename reaches it.
  let renames: Bound[] = [];
  let inOrder: FormField[] = [];
  // Selects that name circuits: their choices follow a renamed circuit without a new render (which would move focus).
  let circuitChoices: { field: FormField; choices: () => Choice[]; current: () => unknown }[] = [];
  let issues: readonly FieldIssue[] = [];

  const site = (): SiteInput => ({ ...answer.site, circuits: draft.circuits, chargers: draft.chargers });
  const sync = () => [...bound, ...renames].forEach((b) => b.apply(b.field.read()));
  const refreshChoices = () => {
    for (const { field, choices, current } of circuitChoices) {
      field.control.replaceChildren(...choices().map((c) => el('option', { value: c.value }, c.label)));
      field.write(current());
    }
  };
  const bind = (field: FormField, value: unknown, apply: (value: unknown) => void, on?: 'move' | 'rename') => {
    field.write(value);
    if (on === 'move') field.control.addEventListener('change', () => (sync(), render()));
    if (on === 'rename') field.control.addEventListener('change', () => (sync(), refreshChoices()));
    (on === 'rename' ? renames : bound).push({ field, apply });
    inOrder.push(field);
    return field.node;
  };
  const circuitSelect = (field: FormField, choices: () => Choice[], current: () => unknown) => {
    circuitChoices.push({ field, choices, current });
    return field;
  };
  const button = (label: string, onclick: () => void) =>
    el('button', { type: 'button', onclick: () => (sync(), onclick(), render()) }, label);

  function circuitNode(index: number, depth: number): HTMLElement {
    const circuit = draft.circuits[index];
    if (circuit === undefined) return el('div', {});
    const at = `circuits[${index}]`;
    const parents = () => [
      { value: '', label: t('dashboard.site.gridConnection') },
      ...draft.circuits.filter((c) => c !== circuit).map((c) => ({ value: c.id, label: c.id })),
    ];
    const chargers = draft.chargers.flatMap((charger, j) => (charger.circuit === circuit.id ? [chargerNode(j)] : []));
    const node = el(
      'fieldset',
      { class: 'circuit', 'data-circuit': circuit.id },
      el('legend', {}, t('dashboard.site.circuitLegend', { id: circuit.id })),
      bind(
        textField({ path: `${at}.id`, label: t('dashboard.site.circuitId') }),
        circuit.id,
        (v) => {
          const id = typeof v === 'string' ? v : '';
          for (const c of draft.circuits) if (c.parent === circuit.id) c.parent = id;
          for (const c of draft.chargers) if (c.circuit === circuit.id) c.circuit = id;
          circuit.id = id;
        },
        'rename',
      ),
      bind(textField({ path: `${at}.name`, label: t('dashboard.site.circuitName') }), circuit.name, (v) => {
        if (typeof v === 'string') circuit.name = v;
        else delete circuit.name;
      }),
      bind(
        circuitSelect(
          selectField({ path: `${at}.parent`, label: t('dashboard.site.parent'), choices: parents() }),
          parents,
          () => circuit.parent ?? '',
        ),
        circuit.parent ?? '',
        (v) => (circuit.parent = typeof v === 'string' && v !== '' ? v : null),
        'move',
      ),
      bind(
        fuseField(`${at}.fuseAmps`, t('dashboard.site.fuse'), t('dashboard.site.fuseHint')),
        circuit.fuseAmps,
        (v) => {
          circuit.fuseAmps = v as typeof circuit.fuseAmps;
        },
      ),
      bind(textField({ path: `${at}.meterId`, label: t('dashboard.site.meter') }), circuit.meterId, (v) => {
        if (typeof v === 'string') circuit.meterId = v;
        else delete circuit.meterId;
      }),
      el(
        'div',
        { class: 'actions' },
        button(t('dashboard.site.addBelow', { id: circuit.id }), () =>
          draft.circuits.push({ id: freeCircuitId(draft.circuits), parent: circuit.id, fuseAmps: 16 }),
        ),
        button(t('dashboard.site.removeCircuit', { id: circuit.id }), () => draft.circuits.splice(index, 1)),
      ),
      ...chargers,
    );
    // Through the CSSOM: the dashboard's CSP refuses style attributes.
    node.style.marginLeft = `${depth * 1.5}rem`;
    return node;
  }

  function chargerNode(j: number): HTMLElement {
    const charger = draft.chargers[j];
    if (charger === undefined) return el('div', {});
    const at = `chargers[${j}]`;
    const circuits = () => draft.circuits.map((c) => ({ value: c.id, label: c.id }));
    return el(
      'fieldset',
      { class: 'charger', 'data-charger-entry': charger.id },
      el('legend', {}, t('dashboard.site.chargerLegend', { id: charger.id })),
      bind(
        circuitSelect(
          selectField({
            path: `${at}.circuit`,
            label: t('dashboard.site.chargerCircuit', { id: charger.id }),
            choices: circuits(),
          }),
          circuits,
          () => charger.circuit,
        ),
        charger.circuit,
        (v) => (charger.circuit = typeof v === 'string' ? v : ''),
        'move',
      ),
      bind(
        selectField({
          path: `${at}.phases`,
          label: t('dashboard.site.phases'),
          numeric: true,
          choices: [
            { value: '3', label: '3' },
            { value: '1', label: '1' },
          ],
        }),
        charger.phases,
        (v) => (charger.phases = v === 1 ? 1 : 3),
      ),
      bind(
        numberField({ path: `${at}.maxAmps`, label: t('dashboard.site.chargerMax', { id: charger.id }), min: 0 }),
        charger.maxAmps,
        (v) => (charger.maxAmps = v as number),
      ),
      el(
        'div',
        { class: 'actions' },
        button(t('dashboard.site.removeCharger', { id: charger.id }), () => draft.chargers.splice(j, 1)),
      ),
    );
  }

  function render(): void {
    bound = [];
    renames = [];
    inOrder = [];
    circuitChoices = [];
    const placed = new Set(draft.circuits.map((c) => c.id));
    const homeless = draft.chargers.flatMap((c, j) => (placed.has(c.circuit) ? [] : [chargerNode(j)]));
    replaceChildren(
      tree,
      ...treeOrder(draft.circuits).map(({ index, depth }) => circuitNode(index, depth)),
      homeless.length ? el('div', {}, el('h3', {}, t('dashboard.site.unassigned')), ...homeless) : null,
    );
    summary.show(fields(), issues, false);
  }
  // In form order, so that focus goes to the first field with an error.
  const fields = () => inOrder;
  const show = (next: readonly FieldIssue[]) => {
    issues = next;
    summary.show(fields(), issues);
  };

  const runPreview = async () => {
    sync();
    const found = siteIssues(site());
    if (found.length > 0) {
      status.say(t('dashboard.site.errors', { count: found.length }), 'error');
      return show(found);
    }
    show([]);
    try {
      const answer = await ctx.api.send('POST', '/site/preview', { site: site() }, SitePreviewViewSchema);
      replaceChildren(preview, ...previewTables(answer));
      status.say(t('dashboard.site.previewed'), 'ok');
    } catch (error) {
      status.say(t('dashboard.site.cannotPreview', { error: describeError(error) }), 'error');
    }
  };
  const submit = async () => {
    sync();
    const outcome = await saveSite(ctx, answer.version, site(), status);
    if (outcome && 'issues' in outcome) show(withinSite(outcome.issues));
    if (outcome && 'saved' in outcome) onSaved(outcome.saved);
  };

  render();
  return el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'circuits-heading',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void submit()),
    },
    el('h2', { id: 'circuits-heading' }, t('dashboard.site.circuits')),
    el('p', { class: 'muted' }, t('dashboard.site.circuitsIntro')),
    summary.node,
    tree,
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => void runPreview() }, t('dashboard.site.preview')),
      el('button', { type: 'submit', class: 'primary' }, t('dashboard.site.saveCircuits')),
    ),
    status.node,
    preview,
  );
}
