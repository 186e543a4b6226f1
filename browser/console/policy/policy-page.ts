/**
 * A site's policy: the editor (validated as you type) starting from the policy the site runs, a review of the change
 * (with a confirmation when it lowers protection), push to site with If-Match, and the allocation preview.
 */
import { ApiError, apiErrorText, describeError } from '../../ui/json-api';
import type { Policy } from '../../../shared/policy/policy-schema';
import {
  PolicyPutResultSchema,
  SitePolicySchema,
  SiteViewSchema,
  type SitePolicy,
  type SiteView,
} from '../api-schemas';
import type { Page, PageContext } from '../page-context';
import { runningPolicyText, siteHeader } from '../pages/site-header';
import { el, replaceChildren } from '../../ui/element';
import { firstInvalid } from '../../ui/field-issues';
import { liveRegion } from '../../ui/live-region';
import { t } from '../../ui/i18n/i18n';
import { serverText } from '../../ui/i18n/server-text';
import { allocationPreview } from './allocation-preview';
import { knownPolicy } from '../site-status';
import { pushReview } from './push-review';
import { policyForm } from '../../ui/policy/policy-form';
import { policyCheck, STARTER_POLICY } from '../../ui/policy/policy-validation';

/** What an editor starting from a site begins with: what it runs, else what was pushed to it, else the defaults. */
export const startingPolicy = (p: SitePolicy): Policy => knownPolicy(p) ?? STARTER_POLICY;

/** How often the page asks whether the site has reported the desired version yet. */
const REPORT_POLL_MS = 2_000;

export function policyPage(ctx: PageContext, siteId: string): Page {
  const node = el('div', {}, t('console.policy.loading'));
  const id = encodeURIComponent(siteId);
  const live = liveRegion('policy-status');
  const header = el('div', {});
  let etag = '"0"';
  let view: SiteView | null = null;
  /** What the site runs (null: it never reported); a push is reviewed against it. */
  let running: Policy | null = null;
  const reviewHolder = el('div', {});
  const otherStart = el('div', {});

  // An edit makes an open review stale: it closes.
  const form = policyForm(() => (replaceChildren(reviewHolder), validate()));
  const check = policyCheck(form);
  const save = el('button', { type: 'submit', class: 'primary' }, t('console.policy.save'));
  const reload = el('button', { type: 'button', onclick: () => void load() }, t('console.policy.reload'));
  const validate = () => {
    const result = check.run();
    save.disabled = result.policy === null;
    return result;
  };

  /**
   * Until the site reports the desired version (applied or rejected), reads the policy's state again every few
   * seconds and shows it in the header; stops when the page is left.
   */
  let watching = false;
  const watchReport = () => {
    if (watching) return;
    watching = true;
    const tick = async () => {
      if (!node.isConnected || view === null) {
        watching = false;
        return;
      }
      try {
        const current = await ctx.api.get(`/sites/${id}/policy`, SitePolicySchema);
        replaceChildren(header, siteHeader(view, current, 'policy'));
        const { desired, applied } = current;
        if (desired === null || applied?.version === desired.version) {
          watching = false;
          if (applied && desired)
            live.say(
              t('console.policy.reports', {
                version: String(applied.version),
                status: t(`console.site.appliedStatus.${applied.status}`),
                message: applied.message ? `: ${applied.message}` : '',
              }),
              applied.status === 'applied' ? 'ok' : 'error',
            );
          return;
        }
      } catch {
        // A failed read is retried on the next tick; the header keeps what it showed.
      }
      setTimeout(() => void tick(), REPORT_POLL_MS);
    };
    setTimeout(() => void tick(), REPORT_POLL_MS);
  };

  const load = async (): Promise<SiteView> => {
    const [site, policy] = await Promise.all([
      ctx.api.get(`/sites/${id}`, SiteViewSchema),
      ctx.api.getWithHeaders(`/sites/${id}/policy`, SitePolicySchema),
    ]);
    view = site;
    etag = policy.headers.get('ETag') ?? '"0"';
    running = policy.value.inForce?.policy ?? null;
    form.write(startingPolicy(policy.value));
    replaceChildren(header, siteHeader(site, policy.value, 'policy'));
    replaceChildren(reviewHolder);
    replaceChildren(otherStart, pendingChoice(policy.value));
    validate();
    live.say(startingPoint(policy.value));
    if (!policy.value.inSync) watchReport();
    return site;
  };

  /** When a pushed version is not (or no longer) what the site runs, it can be edited instead. */
  const pendingChoice = ({ inForce, desired }: SitePolicy) => {
    if (!inForce || !desired || (inForce.basis === 'acknowledged' && inForce.version === desired.version)) return null;
    const edit = () => {
      form.write(desired.policy);
      replaceChildren(reviewHolder);
      validate();
      live.say(t('console.policy.editingPushed', { version: String(desired.version) }));
    };
    return el(
      'button',
      { type: 'button', onclick: edit },
      t('console.policy.editPushed', { version: String(desired.version) }),
    );
  };

  const review = () => {
    const { policy, issues } = validate();
    if (!policy) {
      live.say(t('console.policy.errors', { count: issues.length }), 'error');
      firstInvalid(form.targets(), issues)?.focus();
      return;
    }
    const close = () => replaceChildren(reviewHolder);
    replaceChildren(
      reviewHolder,
      pushReview({
        sites: [{ siteId, running }],
        next: policy,
        label: (path) => form.label(path),
        onConfirm: () => (close(), void push(policy)),
        onCancel: close,
      }),
    );
  };

  const push = async (policy: Policy) => {
    save.disabled = true;
    try {
      const { value, headers } = await ctx.api.send('PUT', `/sites/${id}/policy`, policy, PolicyPutResultSchema, {
        'If-Match': etag,
      });
      etag = headers.get('ETag') ?? `"${value.desired.version}"`;
      const current = await ctx.api.get(`/sites/${id}/policy`, SitePolicySchema);
      if (view) replaceChildren(header, siteHeader(view, current, 'policy'));
      live.say(
        t('console.policy.saved', {
          version: String(value.desired.version),
          status: t(`console.pushStatus.${value.push.status}`),
          message: value.push.message ? ` (${serverText({ ...value.push, message: value.push.message })})` : '',
        }),
        'ok',
      );
      watchReport();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) live.say(t('console.policy.conflict'), 'error');
      else if (error instanceof ApiError && error.status === 400) {
        check.show(error.details);
        live.say(t('console.policy.refused', { error: apiErrorText(error) }), 'error');
        firstInvalid(form.targets(), error.details)?.focus();
      } else live.say(t('console.policy.cannotSave', { error: describeError(error) }), 'error');
    } finally {
      save.disabled = false;
    }
  };

  const editor = el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'editor-heading',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), review()),
    },
    el('h2', { id: 'editor-heading' }, t('console.policy.editor')),
    check.node,
    form.node,
    el('div', { class: 'actions' }, save, reload),
    live.node,
    otherStart,
    reviewHolder,
  );

  void (async () => {
    try {
      const site = await load();
      replaceChildren(
        node,
        header,
        editor,
        allocationPreview(ctx, site.site, () => validate().policy),
      );
    } catch (error) {
      replaceChildren(node, live.node);
      live.say(t('console.policy.cannotLoad', { id: siteId, error: describeError(error) }), 'error');
    }
  })();
  return { title: t('console.policy.title', { id: siteId }), node };
}

/** What the editor starts from, in words: the policy the site runs and where it came from, or why it is something else. */
function startingPoint({ inForce, desired }: SitePolicy): string {
  if (!inForce) {
    return desired
      ? t('console.policy.notReportedPushed', { version: String(desired.version) })
      : t('console.policy.notReportedDefaults');
  }
  const pending =
    desired && !(inForce.basis === 'acknowledged' && inForce.version === desired.version)
      ? t('console.policy.pushedNotRun', { version: String(desired.version) })
      : '';
  return t('console.policy.editingRunning', { running: runningPolicyText(inForce), pending });
}
