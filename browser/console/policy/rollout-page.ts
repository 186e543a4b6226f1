/**
 * Rollout: one policy to a group of sites, starting from the policy a site runs, reviewed against what each target
 * runs (with a confirmation when it lowers any target's protection), with the result for each site.
 */
import { ApiError, describeError } from '../../ui/json-api';
import type { Policy } from '../../../shared/policy/policy-schema';
import { RolloutResultSchema, SitePolicySchema, type RolloutResult } from '../api-schemas';
import type { Page, PageContext } from '../page-context';
import { listAllSites } from '../pages/sites-page';
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { firstInvalid } from '../../ui/field-issues';
import { choiceGroupField, selectField } from '../../ui/form-fields';
import { liveRegion } from '../../ui/live-region';
import { policyForm } from '../../ui/policy/policy-form';
import { policyCheck, STARTER_POLICY } from '../../ui/policy/policy-validation';
import { startingPolicy } from './policy-page';
import { pushReview } from './push-review';

const STATUS_TONE = { updated: 'ok', notFound: 'bad', invalid: 'bad', conflict: 'warn', failed: 'bad' } as const;

function resultsTable(answer: RolloutResult): HTMLElement {
  return dataTable({
    caption: `${answer.summary.updated} of ${answer.summary.total} sites updated`,
    testId: 'rollout-results',
    rows: answer.results,
    columns: [
      { header: 'Site', cell: (r) => r.siteId },
      { header: 'Status', cell: (r) => badge(r.status, STATUS_TONE[r.status]) },
      { header: 'Version', cell: (r) => (r.version === undefined ? '–' : `v${r.version}`), numeric: true },
      {
        header: 'Push',
        cell: (r) => (r.push ? `${r.push.status}${r.push.message ? `: ${r.push.message}` : ''}` : (r.message ?? '–')),
      },
    ],
  });
}

export function rolloutPage(ctx: PageContext): Page {
  const node = el('div', {}, 'Loading the sites…');
  const live = liveRegion('rollout-status');
  const results = el('div', {});
  const reviewHolder = el('div', {});
  // An edit makes an open review stale: it closes.
  const form = policyForm(() => (replaceChildren(reviewHolder), check.run()));
  const check = policyCheck(form);

  void (async () => {
    try {
      const sites = await listAllSites(ctx);
      const choices = sites.map((s) => ({ value: s.id, label: s.name ? `${s.name} (${s.id})` : s.id }));
      const targets = choiceGroupField({ path: 'siteIds', label: 'Sites to update', choices });
      // The first site's running policy by default: starting from defaults would roll them out by accident.
      const start = selectField({
        path: 'startFrom',
        label: 'Start from the policy of',
        choices: [...choices, { value: '', label: 'Defaults (a new site)' }],
      });
      let starts = 0;
      const startFrom = () => {
        const siteId = String(start.read());
        const current = ++starts;
        replaceChildren(reviewHolder);
        if (!siteId) return (form.write(STARTER_POLICY), check.run(), live.say('Starting from the defaults.'));
        void ctx.api
          .get(`/sites/${encodeURIComponent(siteId)}/policy`, SitePolicySchema)
          .then((p) => {
            // A later choice wins over an answer that arrives late.
            if (current !== starts) return;
            form.write(startingPolicy(p));
            check.run();
            live.say(
              p.inForce
                ? `Starting from the policy ${siteId} runs.`
                : `${siteId} has not reported the policy it runs: starting from what was pushed to it, or the defaults.`,
            );
          })
          .catch((error: unknown) => live.say(`Could not read that site's policy: ${describeError(error)}`, 'error'));
      };
      start.control.addEventListener('change', startFrom);
      form.write(STARTER_POLICY);
      startFrom();

      const review = async () => {
        const { policy, issues } = check.run();
        const siteIds = targets.read() as string[];
        targets.setError(siteIds.length ? null : 'Choose at least one site.');
        if (!policy || !siteIds.length) {
          live.say('Fix the marked fields before rolling out.', 'error');
          return (firstInvalid(form.targets(), issues) ?? targets.control).focus();
        }
        try {
          const views = await Promise.all(
            siteIds.map((id) => ctx.api.get(`/sites/${encodeURIComponent(id)}/policy`, SitePolicySchema)),
          );
          const sites = siteIds.map((siteId, i) => ({ siteId, running: views[i]!.inForce?.policy ?? null }));
          const close = () => replaceChildren(reviewHolder);
          replaceChildren(
            reviewHolder,
            pushReview({
              sites,
              next: policy,
              label: (path) => form.label(path),
              onConfirm: () => (close(), void rollOut(siteIds, policy)),
              onCancel: close,
            }),
          );
        } catch (error) {
          live.say(`Could not read what the sites run: ${describeError(error)}`, 'error');
        }
      };

      const rollOut = async (siteIds: string[], policy: Policy) => {
        try {
          const { value } = await ctx.api.send('POST', '/policies/rollout', { siteIds, policy }, RolloutResultSchema);
          replaceChildren(results, resultsTable(value));
          live.say(
            `Rollout done: ${value.summary.updated} of ${value.summary.total} sites updated.`,
            value.summary.updated === value.summary.total ? 'ok' : 'error',
          );
        } catch (error) {
          if (error instanceof ApiError && error.status === 400) check.show(error.details);
          live.say(`Rollout refused: ${describeError(error)}`, 'error');
        }
      };
      replaceChildren(
        node,
        el(
          'form',
          {
            class: 'card',
            novalidate: true,
            'aria-label': 'Rollout',
            onsubmit: (e: Event) => (e.preventDefault(), void review()),
          },
          el('fieldset', {}, el('legend', {}, 'Sites'), targets.node),
          start.node,
          check.node,
          form.node,
          el(
            'div',
            { class: 'actions' },
            el('button', { type: 'submit', class: 'primary' }, 'Roll out to selected sites'),
          ),
          live.node,
          reviewHolder,
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
