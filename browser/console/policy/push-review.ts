/**
 * The review between "Save and push" and the push: for each site, every field that changes from the policy it runs
 * (old and new value), and, when the change lowers a site's protection or what a site runs is unknown, an explicit
 * confirmation before the push button works.
 */
import { policyChanges, type PolicyChange } from '../../../shared/policy/policy-diff';
import type { Policy } from '../../../shared/policy/policy-schema';
import { protectionLowerings, type ProtectionLowering } from '../../../shared/policy/protection-change';
import { dataTable } from '../../ui/data-table';
import { el, uniqueId } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';

export interface ReviewedSite {
  readonly siteId: string;
  /** The policy the site runs; null when it never reported one. */
  readonly running: Policy | null;
}

export interface PushReviewOptions {
  readonly sites: readonly ReviewedSite[];
  readonly next: Policy;
  /** A field's label in the editor, for the change table. */
  readonly label: (path: string) => string;
  onConfirm(): void;
  onCancel(): void;
}

interface SiteReview {
  readonly site: ReviewedSite;
  readonly changes: readonly PolicyChange[];
  readonly lowerings: readonly ProtectionLowering[];
}

function changesTable(review: SiteReview, label: (path: string) => string, caption: string): HTMLElement {
  if (review.site.running === null) return el('p', {}, t('console.review.unknownRunning', { id: review.site.siteId }));
  if (review.changes.length === 0) return el('p', {}, t('console.review.noChange', { id: review.site.siteId }));
  return dataTable({
    caption,
    testId: 'policy-changes',
    rows: review.changes,
    columns: [
      { header: t('console.review.field'), cell: (c) => label(c.path) },
      { header: t('console.review.siteRuns'), cell: (c) => c.before },
      { header: t('console.review.after'), cell: (c) => c.after },
    ],
  });
}

function warning(reviews: readonly SiteReview[], many: boolean): HTMLElement | null {
  const lowering = reviews.filter((r) => r.lowerings.length > 0);
  const unknown = reviews.filter((r) => r.site.running === null);
  if (lowering.length === 0 && unknown.length === 0) return null;
  const prefix = (r: SiteReview) => (many ? `${r.site.siteId}: ` : '');
  return el(
    'div',
    { class: 'alert', role: 'alert', 'data-testid': 'protection-warning' },
    el('p', {}, el('strong', {}, t('console.review.lowers')), t('console.review.orUnknown')),
    el(
      'ul',
      {},
      ...lowering.flatMap((r) => r.lowerings.map((l) => el('li', {}, `${prefix(r)}${l.reason}`))),
      ...unknown.map((r) => el('li', {}, t('console.review.runningUnknown', { id: r.site.siteId }))),
    ),
  );
}

export function pushReview(options: PushReviewOptions): HTMLElement {
  const reviews: SiteReview[] = options.sites.map((site) => ({
    site,
    changes: site.running ? policyChanges(site.running, options.next) : [],
    lowerings: site.running ? protectionLowerings(site.running, options.next) : [],
  }));
  const many = reviews.length > 1;
  const alert = warning(reviews, many);
  const push = el(
    'button',
    { type: 'button', class: 'primary', onclick: () => options.onConfirm() },
    t('console.review.confirm'),
  );
  const confirmId = uniqueId('confirm-lowering');
  const confirm = el('input', { type: 'checkbox', id: confirmId, onchange: () => (push.disabled = !confirm.checked) });
  push.disabled = alert !== null;
  const heading = el('h3', { id: 'push-review-heading', tabindex: -1 }, t('console.review.heading'));
  const node = el(
    'section',
    { class: 'push-review', 'aria-labelledby': 'push-review-heading', 'data-testid': 'push-review' },
    heading,
    ...reviews.map((r) =>
      el(
        'div',
        {},
        many ? el('h4', {}, r.site.siteId) : null,
        changesTable(r, options.label, t('console.review.changesFor', { id: r.site.siteId })),
      ),
    ),
    alert,
    alert
      ? el(
          'div',
          { class: 'field field-check' },
          confirm,
          el('label', { for: confirmId }, t('console.review.understand')),
        )
      : null,
    el(
      'div',
      { class: 'actions' },
      push,
      el('button', { type: 'button', onclick: () => options.onCancel() }, t('console.review.back')),
    ),
  );
  queueMicrotask(() => heading.focus());
  return node;
}
