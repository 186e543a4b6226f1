/** Rollout: one policy to a group of sites, with the result for each site. */
import { ApiError, describeError } from '../../../../shared/ui/json-api';
import { RolloutResultSchema, SitePolicySchema, type RolloutResult } from '../api-schemas';
import type { Page, PageContext } from '../page-context';
import { listAllSites } from '../pages/sites-page';
import { badge } from '../../../../shared/ui/badges';
import { dataTable } from '../../../../shared/ui/data-table';
import { el, replaceChildren } from '../../../../shared/ui/element';
import { firstInvalid } from '../../../../shared/ui/field-issues';
import { choiceGroupField, selectField } from '../../../../shared/ui/form-fields';
import { liveRegion } from '../../../../shared/ui/live-region';
import { policyForm } from '../../../../shared/ui/policy/policy-form';
import { policyCheck, STARTER_POLICY } from '../../../../shared/ui/policy/policy-validation';

const STATUS_TONE = { updated: 'ok', notFound: 'bad', conflict: 'warn', failed: 'bad' } as const;

function resultsTable(answer: RolloutResult): HTMLElement {
  return dataTable({
    caption: `${answer.summary.updated} of ${answer.summary.total} sites updated`,
    testId: 'rollout-results',
    rows: answer.results,
    columns: [
      { header: 'Site', cell: (r) => r.siteId },
      { header: 'Status', cell: (r) => badge(r.status, STATUS_TONE[r.status]) },
      { header: 'Version', cell: (r) => (r.version === undefined ? '–' : `v${r.version}`), numeric: true },
      { header: 'Push', cell: (r) => (r.push ? `${r.push.status}${r.push.message ? `: ${r.push.message}` : ''}` : (r.message ?? '–')) },
    ],
  });
}

export function rolloutPage(ctx: PageContext): Page {
  const node = el('div', {}, 'Loading the sites…');
  const live = liveRegion('rollout-status');
  const results = el('div', {});
  const form = policyForm(() => check.run());
  const check = policyCheck(form);

  void (async () => {
    try {
      const sites = await listAllSites(ctx);
      const choices = sites.map((s) => ({ value: s.id, label: s.name ? `${s.name} (${s.id})` : s.id }));
      const targets = choiceGroupField({ path: 'siteIds', label: 'Sites to update', choices });
      const start = selectField({ path: 'startFrom', label: 'Start from the policy of', choices: [{ value: '', label: 'Defaults' }, ...choices] });
      start.control.addEventListener('change', () => {
        const siteId = String(start.read());
        if (!siteId) return (form.write(STARTER_POLICY), check.run());
        void ctx.api
          .get(`/sites/${encodeURIComponent(siteId)}/policy`, SitePolicySchema)
          .then((p) => (form.write(p.desired?.policy ?? STARTER_POLICY), check.run()))
          .catch((error: unknown) => live.say(`Could not read that site's policy: ${describeError(error)}`, 'error'));
      });
      form.write(STARTER_POLICY);

      const rollOut = async () => {
        const { policy, issues } = check.run();
        const siteIds = targets.read() as string[];
        targets.setError(siteIds.length ? null : 'Choose at least one site.');
        if (!policy || !siteIds.length) {
          live.say('Fix the marked fields before rolling out.', 'error');
          return (firstInvalid(form.targets(), issues) ?? targets.control).focus();
        }
        try {
          const { value } = await ctx.api.send('POST', '/policies/rollout', { siteIds, policy }, RolloutResultSchema);
          replaceChildren(results, resultsTable(value));
          live.say(`Rollout done: ${value.summary.updated} of ${value.summary.total} sites updated.`, value.summary.updated === value.summary.total ? 'ok' : 'error');
        } catch (error) {
          if (error instanceof ApiError && error.status === 400) check.show(error.details);
          live.say(`Rollout refused: ${describeError(error)}`, 'error');
        }
      };
      replaceChildren(
        node,
        el(
          'form',
          { class: 'card', novalidate: true, 'aria-label': 'Rollout', onsubmit: (e: Event) => (e.preventDefault(), void rollOut()) },
          el('fieldset', {}, el('legend', {}, 'Sites'), targets.node),
          start.node,
          check.node,
          form.node,
          el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Roll out to selected sites')),
          live.node,
        ),
        results,
      );
    } catch (error) {
      replaceChildren(node, live.node);
      live.say(`Could not load the sites: ${describeError(error)}`, 'error');
    }
  })();
  return { title: 'Policy rollout', node };
}
