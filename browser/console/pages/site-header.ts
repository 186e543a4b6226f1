/** The heading block of a site's pages: identity, connectivity, policy versions, what the site runs and the Overview / Policy tabs. */
import type { PolicyInForce, SitePolicy, SiteView } from '../api-schemas';
import { policyHref, siteHref } from '../routes';
import { badge, connectivityBadge } from '../../ui/badges';
import { el } from '../../ui/element';
import { formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';

/** Where the policy a site runs comes from, in words (the header's "Runs" and the policy editor's status). */
export function runningPolicyText(inForce: PolicyInForce | null): string {
  if (!inForce) return t('console.site.runsNotReported');
  if (inForce.basis === 'acknowledged') return t('console.site.runsAcknowledged', { version: String(inForce.version) });
  return {
    config: t('console.site.runsConfig'),
    local: t('console.site.runsLocal', { version: String(inForce.version) }),
    cloud: t('console.site.runsCloud', { version: String(inForce.version) }),
  }[inForce.source];
}

export function siteHeader(view: SiteView, policy: SitePolicy, active: 'overview' | 'policy'): HTMLElement {
  const { desired, applied, inSync } = policy;
  const tab = (name: typeof active, href: string, label: string) =>
    el('a', { href, class: 'tab', 'aria-current': name === active ? 'page' : null }, label);
  return el(
    'div',
    { class: 'site-header' },
    el(
      'dl',
      { class: 'facts', 'data-testid': 'site-facts' },
      el('dt', {}, t('console.site.connectivity')),
      el(
        'dd',
        {},
        connectivityBadge(view.connectivity.state),
        t('console.site.since', { time: formatTime(view.connectivity.since) }),
      ),
      el('dt', {}, t('console.site.gateway')),
      el('dd', {}, view.gatewayThingName ?? t('console.site.notRegistered')),
      el('dt', {}, t('console.site.desired')),
      el('dd', { 'data-testid': 'desired-version' }, desired ? `v${desired.version}` : t('console.site.none')),
      el('dt', {}, t('console.site.appliedPolicy')),
      el(
        'dd',
        { 'data-testid': 'applied-version' },
        applied
          ? `v${applied.version} ${t(`console.site.appliedStatus.${applied.status}`)}${applied.message ? `: ${applied.message}` : ''} `
          : t('console.site.notReported'),
        inSync ? badge(t('console.list.inSync'), 'ok') : badge(t('console.list.pending'), 'warn'),
      ),
      el('dt', {}, t('console.site.runs')),
      el('dd', { 'data-testid': 'running-policy' }, runningPolicyText(policy.inForce)),
    ),
    el(
      'nav',
      { class: 'tabs', 'aria-label': t('console.site.sections') },
      tab('overview', siteHref(view.id), t('console.site.overview')),
      tab('policy', policyHref(view.id), t('console.site.policy')),
    ),
  );
}
