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
import { formatNumber } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { saidText } from '../../ui/i18n/untranslated';
import { policyForm } from '../../ui/policy/policy-form';
import { policyCheck, STARTER_POLICY } from '../../ui/policy/policy-validation';
import { startingPolicy } from './policy-page';
import { pushReview } from './push-review';

const STATUS_TONE = { updated: 'ok', notFound: 'bad', invalid: 'bad', conflict: 'warn', failed: 'bad' } as const;

type SiteResult = RolloutResult['results'][number];

/** What became of one site, in the page's language where the API gave a reason (a bad field's path as written). */
function resultText(r: SiteResult): Node | string {
  if (r.push) {
    const status = t(`console.pushStatus.${r.push.status}`);
    return r.push.message ? el('span', {}, `${status}: `, saidText({ ...r.push, message: r.push.message })) : status;
  }
  if (r.details.length > 0)
    return el('span', {}, ...r.details.flatMap((d, i) => [i > 0 ? '; ' : '', `${d.path}: `, saidText(d)]));
  return r.message ? saidText({ ...r, message: r.message }) : '–';
}

function resultsTable(answer: RolloutResult): HTMLElement {
  return dataTable({
    caption: t('console.rolloutPage.resultsCaption', {
      updated: formatNumber(answer.summary.updated),
      total: formatNumber(answer.summary.total),
    }),
    testId: 'rollout-results',
    rows: answer.results,
    columns: [
      { header: t('console.rolloutPage.site'), cell: (r) => r.siteId },
      {
        header: t('console.rolloutPage.status'),
        cell: (r) => badge(t(`console.rolloutPage.statuses.${r.status}`), STATUS_TONE[r.status]),
      },
      {
        header: t('console.rolloutPage.version'),
        cell: (r) => (r.version === undefined ? '–' : `v${r.version}`),
        numeric: true,
      },
      { header: t('console.rolloutPage.push'), cell: resultText },
    ],
  });
}

export function rolloutPage(ctx: PageContext): Page {
  const node = el('div', {}, t('console.rolloutPage.loading'));
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
      const targets = choiceGroupField({ path: 'siteIds', label: t('console.rolloutPage.targets'), choices });
      // The first site's running policy by default: starting from defaults would roll them out by accident.
      const start = selectField({
        path: 'startFrom',
        label: t('console.rolloutPage.startFrom'),
        choices: [...choices, { value: '', label: t('console.rolloutPage.defaults') }],
      });
      let starts = 0;
      const startFrom = () => {
        const siteId = String(start.read());
        const current = ++starts;
        replaceChildren(reviewHolder);
        if (!siteId) return (form.write(STARTER_POLICY), check.run(), live.say(t('console.rolloutPage.fromDefaults')));
        void ctx.api
          .get(`/sites/${encodeURIComponent(siteId)}/policy`, SitePolicySchema)
          .then((p) => {
            // A later choice wins over an answer that arrives late.
            if (current !== starts) return;
            form.write(startingPolicy(p));
            check.run();
            live.say(
              p.inForce
                ? t('console.rolloutPage.fromSite', { id: siteId })
                : t('console.rolloutPage.fromPushed', { id: siteId }),
            );
          })
          .catch((error: unknown) =>
            live.say(t('console.rolloutPage.cannotReadSite', { error: describeError(error) }), 'error'),
          );
      };
      start.control.addEventListener('change', startFrom);
      form.write(STARTER_POLICY);
      startFrom();

      const review = async () => {
        const { policy, issues } = check.run();
        const siteIds = targets.read() as string[];
        targets.setError(siteIds.length ? null : t('console.rolloutPage.chooseOne'));
        if (!policy || !siteIds.length) {
          live.say(t('console.rolloutPage.fixFields'), 'error');
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
          live.say(t('console.rolloutPage.cannotReadRunning', { error: describeError(error) }), 'error');
        }
      };

      const rollOut = async (siteIds: string[], policy: Policy) => {
        try {
          const { value } = await ctx.api.send('POST', '/policies/rollout', { siteIds, policy }, RolloutResultSchema);
          replaceChildren(results, resultsTable(value));
          live.say(
            t('console.rolloutPage.done', {
              updated: formatNumber(value.summary.updated),
              total: formatNumber(value.summary.total),
            }),
            value.summary.updated === value.summary.total ? 'ok' : 'error',
          );
        } catch (error) {
          if (error instanceof ApiError && error.status === 400) check.show(error.details);
          live.say(t('console.rolloutPage.refused', { error: describeError(error) }), 'error');
        }
      };
      replaceChildren(
        node,
        el(
          'form',
          {
            class: 'card',
            novalidate: true,
            'aria-label': t('console.rollout'),
            onsubmit: (e: Event) => (e.preventDefault(), void review()),
          },
          el('fieldset', {}, el('legend', {}, t('console.rolloutPage.sites')), targets.node),
          start.node,
          check.node,
          form.node,
          el(
            'div',
            { class: 'actions' },
            el('button', { type: 'submit', class: 'primary' }, t('console.rolloutPage.submit')),
          ),
          live.node,
          reviewHolder,
        ),
        results,
      );
    } catch (error) {
      replaceChildren(node, live.node);
      live.say(t('console.rolloutPage.cannotLoad', { error: describeError(error) }), 'error');
    }
  })();
  return { title: t('console.rolloutPage.title'), node };
}
