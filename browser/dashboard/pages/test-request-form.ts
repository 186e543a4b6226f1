/** "Test Request Allocation": what a new car on a free connector would get, previewed by the agent without touching any charger. */
import { el, replaceChildren } from '../../ui/element';
import { firstInvalid, showFieldIssues } from '../../ui/field-issues';
import { checkboxField, numberField, selectField } from '../../ui/form-fields';
import { formatAmps } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
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
  const connector = selectField({ path: 'connector', label: t('dashboard.testRequest.connector'), choices: [] });
  const phases = selectField({
    path: 'phases',
    label: t('dashboard.testRequest.carPhases'),
    numeric: true,
    choices: [
      { value: '3', label: t('dashboard.testRequest.phases3') },
      { value: '1', label: t('dashboard.testRequest.phases1') },
      { value: '2', label: t('dashboard.testRequest.phases2') },
    ],
  });
  const maxAmps = numberField({
    path: 'maxAmps',
    label: t('dashboard.testRequest.maxAmps'),
    min: 6,
    step: 1,
    hint: t('dashboard.testRequest.maxAmpsHint'),
  });
  const vip = checkboxField({ path: 'vip', label: t('dashboard.testRequest.vip') });
  const fields = [connector, phases, maxAmps, vip];
  maxAmps.write(32);
  const result = el('div', { 'data-testid': 'test-request-result' });
  const status = liveRegion('test-request-status');
  const select = connector.control as HTMLSelectElement;
  // Until the page has the allocation there is no connector to name, and with none free there is nothing to test:
  // the button stays disabled, and why is said beside it (a request naming no connector would only be refused).
  const waiting = el(
    'p',
    { id: 'test-request-waiting', class: 'field-hint' },
    t('dashboard.testRequest.waitingForConnectors'),
  );
  const submit = el(
    'button',
    { type: 'submit', class: 'primary', disabled: true, 'aria-describedby': 'test-request-waiting' },
    t('dashboard.testRequest.title'),
  );

  const run = async () => {
    if (select.value === '') return;
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
              ? t('dashboard.testRequest.wouldGet', {
                  ref: row.ref,
                  amps: formatAmps(row.allocatedAmps),
                  reason: t(`common.reason.${row.reason}`),
                })
              : t('dashboard.testRequest.noAllocation'),
          ),
          ' ',
          allocationSummary(answer),
        ),
        allocationTable(answer, {
          caption: t('dashboard.testRequest.caption'),
          testId: 'test-request-table',
          highlight: answer.requestRef,
        }),
      );
      status.say(
        row
          ? t('dashboard.testRequest.said', { amps: formatAmps(row.allocatedAmps), ref: row.ref })
          : t('dashboard.testRequest.saidNone'),
        'ok',
      );
    } catch (error) {
      const issues = error instanceof ApiError ? error.details : [];
      showFieldIssues(fields, issues);
      firstInvalid(fields, issues)?.focus();
      status.say(t('dashboard.testRequest.refused', { error: describeError(error) }), 'error');
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
    el('h2', { id: 'test-request-heading' }, t('dashboard.testRequest.title')),
    el('p', { class: 'field-hint' }, t('dashboard.testRequest.hint')),
    el('div', { class: 'grid' }, ...fields.map((f) => f.node)),
    el('div', { class: 'actions' }, submit, waiting),
    status.node,
    result,
  );
  return {
    node,
    update(current) {
      const free = current.rows.filter((r) => r.requestedAmps === 0 && r.activity === 'idle').map((r) => r.ref);
      const chosen = select.value;
      const none = free.length === 0;
      submit.disabled = none;
      waiting.hidden = !none;
      waiting.textContent = none ? t('dashboard.testRequest.noFreeConnector') : '';
      if (none) submit.setAttribute('aria-describedby', waiting.id);
      else submit.removeAttribute('aria-describedby');
      if ([...select.options].map((o) => o.value).join() === free.join()) return;
      select.replaceChildren(...free.map((ref) => el('option', { value: ref }, ref)));
      if (free.includes(chosen)) select.value = chosen;
    },
  };
}
