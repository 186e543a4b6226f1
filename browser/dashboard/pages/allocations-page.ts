/** Allocations, live: what every connector gets and why, "Refresh", and "Test Request Allocation". */
import { formatTime } from '../../ui/badges';
import { el, replaceChildren } from '../../ui/element';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { AllocationsAnswerSchema, type AllocationsAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { allocationSummary, allocationTable } from './allocation-table';
import { testRequestForm } from './test-request-form';

export function allocationsPage(ctx: PageContext): Page {
  const holder = el('div', {}, 'Loading the allocation…');
  const summary = el('p', { 'data-testid': 'allocation-summary' });
  const status = liveRegion('allocations-status');
  const test = testRequestForm(ctx);
  const show = (answer: AllocationsAnswer) => {
    summary.textContent = `${allocationSummary(answer)}${answer.at !== null ? ` Round at ${formatTime(answer.at)}.` : ''}`;
    replaceChildren(
      holder,
      allocationTable(answer, { caption: 'Allocation per connector (A per phase)', testId: 'allocations-table' }),
    );
    test.update(answer);
  };
  const refresh = async () => {
    try {
      show(await ctx.api.get('/allocations', AllocationsAnswerSchema));
      status.say('Refreshed.');
    } catch (error) {
      status.say(`Could not read the allocation: ${describeError(error)}`, 'error');
    }
  };
  void refresh();
  const stop = ctx.live.on('allocations', AllocationsAnswerSchema, show);
  const node = el(
    'div',
    {},
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'allocations-heading' },
      el(
        'div',
        { class: 'section-head' },
        el('h2', { id: 'allocations-heading' }, 'Allocations'),
        el('button', { type: 'button', onclick: () => void refresh() }, 'Refresh'),
      ),
      summary,
      holder,
      status.node,
    ),
    test.node,
  );
  return { title: 'Allocations', node, dispose: stop };
}
