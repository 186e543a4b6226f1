/** Allocations, live: what every connector gets and why, "Refresh", and "Test Request Allocation". */
import { el, replaceChildren } from '../../ui/element';
import { formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { AllocationsAnswerSchema, type AllocationsAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { allocationSummary, allocationTable } from './allocation-table';
import { testRequestForm } from './test-request-form';

export function allocationsPage(ctx: PageContext): Page {
  const holder = el('div', {}, t('dashboard.allocations.loading'));
  const summary = el('p', { 'data-testid': 'allocation-summary' });
  const status = liveRegion('allocations-status');
  const test = testRequestForm(ctx);
  const show = (answer: AllocationsAnswer) => {
    summary.textContent = `${allocationSummary(answer)}${answer.at !== null ? t('dashboard.allocations.roundAt', { time: formatTime(answer.at) }) : ''}`;
    replaceChildren(
      holder,
      allocationTable(answer, { caption: t('dashboard.allocations.caption'), testId: 'allocations-table' }),
    );
    test.update(answer);
  };
  const refresh = async () => {
    try {
      show(await ctx.api.get('/allocations', AllocationsAnswerSchema));
      status.say(t('dashboard.allocations.refreshed'));
    } catch (error) {
      status.say(t('dashboard.allocations.cannotRead', { error: describeError(error) }), 'error');
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
        el('h2', { id: 'allocations-heading' }, t('dashboard.sections.allocations')),
        el('button', { type: 'button', onclick: () => void refresh() }, t('common.refresh')),
      ),
      summary,
      holder,
      status.node,
    ),
    test.node,
  );
  return { title: t('dashboard.sections.allocations'), node, dispose: stop };
}
