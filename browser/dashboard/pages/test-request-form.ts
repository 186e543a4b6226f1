/** "Test Request Allocation": what a new car on a free connector would get, previewed by the agent without touching any charger. */
import { el, replaceChildren } from '../../ui/element';
import { firstInvalid, showFieldIssues } from '../../ui/field-issues';
import { checkboxField, numberField, selectField } from '../../ui/form-fields';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { PreviewAnswerSchema, type AllocationsAnswer } from '../../../shared/dashboard/api-answers';
import type { PageContext } from '../page-context';
import { allocationSummary, allocationTable } from './allocation-table';

export interface TestRequestForm {
  readonly node: HTMLElement;
  /** Offers the connectors that have no car in `current`. */
  update(current: AllocationsAnswer): void;
}

export function testRequestForm(ctx: PageContext): TestRequestForm {
  const connector = selectField({ path: 'connector', label: 'Connector', choices: [] });
  const phases = selectField({
    path: 'phases',
    label: 'Car phases',
    numeric: true,
    choices: [
      { value: '3', label: '3 phases' },
      { value: '1', label: '1 phase' },
      { value: '2', label: '2 phases' },
    ],
  });
  const maxAmps = numberField({
    path: 'maxAmps',
    label: 'Max current (A per phase)',
    min: 6,
    step: 1,
    hint: 'What the car can take.',
  });
  const vip = checkboxField({ path: 'vip', label: 'VIP request' });
  const fields = [connector, phases, maxAmps, vip];
  maxAmps.write(32);
  const result = el('div', { 'data-testid': 'test-request-result' });
  const status = liveRegion('test-request-status');
  const select = connector.control as HTMLSelectElement;

  const run = async () => {
    showFieldIssues(fields, []);
    const request = {
      connector: connector.read(),
      phases: phases.read(),
      maxAmps: maxAmps.read() ?? null,
      vip: vip.read(),
    };
    try {
      const answer = await ctx.api.send('POST', '/allocations/preview', request, PreviewAnswerSchema);
      const row = answer.rows.find((r) => r.ref === answer.requestRef);
      replaceChildren(
        result,
        el(
          'p',
          {},
          el(
            'strong',
            {},
            row
              ? `The new car on ${row.ref} would get ${row.allocatedAmps.toFixed(1)} A per phase (${row.reason}).`
              : 'No allocation for that connector.',
          ),
          ' ',
          allocationSummary(answer),
        ),
        allocationTable(answer, {
          caption: 'Allocation with the test request (nothing was sent to the chargers)',
          testId: 'test-request-table',
          highlight: answer.requestRef,
        }),
      );
      status.say(
        row ? `Test request: ${row.allocatedAmps.toFixed(1)} A for ${row.ref}.` : 'Test request: no allocation.',
        'ok',
      );
    } catch (error) {
      const issues = error instanceof ApiError ? error.details : [];
      showFieldIssues(fields, issues);
      firstInvalid(fields, issues)?.focus();
      status.say(`Test request refused: ${describeError(error)}`, 'error');
    }
  };

  const node = el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'test-request-heading',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void run()),
    },
    el('h2', { id: 'test-request-heading' }, 'Test Request Allocation'),
    el(
      'p',
      { class: 'field-hint' },
      'Previews what a new car would get with the cars charging now and the settings in force. Nothing is sent to any charger.',
    ),
    el('div', { class: 'grid' }, ...fields.map((f) => f.node)),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Test Request Allocation')),
    status.node,
    result,
  );
  return {
    node,
    update(current) {
      const free = current.rows.filter((r) => r.requestedAmps === 0 && r.activity === 'idle').map((r) => r.ref);
      const chosen = select.value;
      if ([...select.options].map((o) => o.value).join() === free.join()) return;
      select.replaceChildren(...free.map((ref) => el('option', { value: ref }, ref)));
      if (free.includes(chosen)) select.value = chosen;
    },
  };
}
