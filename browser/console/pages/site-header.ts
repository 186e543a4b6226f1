/** The heading block of a site's pages: identity, connectivity, policy versions, what the site runs and the Overview / Policy tabs. */
import type { PolicyInForce, SitePolicy, SiteView } from '../api-schemas';
import { policyHref, siteHref } from '../routes';
import { badge, connectivityBadge, formatTime } from '../../ui/badges';
import { el } from '../../ui/element';

/** Where the policy a site runs comes from, in words (the header's "Runs" and the policy editor's status). */
export function runningPolicyText(inForce: PolicyInForce | null): string {
  if (!inForce) return 'not reported by the site';
  if (inForce.basis === 'acknowledged') return `version ${inForce.version}, pushed and applied`;
  return {
    config: 'from its configuration file (the cloud never pushed one)',
    local: `edited on its dashboard (based on version ${inForce.version})`,
    cloud: `version ${inForce.version}, as the site reports it`,
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
      el('dt', {}, 'Connectivity'),
      el('dd', {}, connectivityBadge(view.connectivity.state), ` since ${formatTime(view.connectivity.since)}`),
      el('dt', {}, 'Gateway'),
      el('dd', {}, view.gatewayThingName ?? 'not registered'),
      el('dt', {}, 'Desired policy'),
      el('dd', { 'data-testid': 'desired-version' }, desired ? `v${desired.version}` : 'none'),
      el('dt', {}, 'Applied policy'),
      el(
        'dd',
        { 'data-testid': 'applied-version' },
        applied
          ? `v${applied.version} ${applied.status}${applied.message ? `: ${applied.message}` : ''} `
          : 'not reported ',
        inSync ? badge('in sync', 'ok') : badge('pending', 'warn'),
      ),
      el('dt', {}, 'Runs'),
      el('dd', { 'data-testid': 'running-policy' }, runningPolicyText(policy.inForce)),
    ),
    el(
      'nav',
      { class: 'tabs', 'aria-label': 'Site sections' },
      tab('overview', siteHref(view.id), 'Overview'),
      tab('policy', policyHref(view.id), 'Policy'),
    ),
  );
}
