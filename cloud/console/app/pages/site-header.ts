/** The heading block of a site's pages: identity, connectivity, policy versions and the Overview / Policy tabs. */
import type { SitePolicy, SiteView } from '../api-schemas';
import { policyHref, siteHref } from '../routes';
import { badge, connectivityBadge, formatTime } from '../../../../shared/ui/badges';
import { el } from '../../../../shared/ui/element';

export function siteHeader(view: SiteView, policy: SitePolicy, active: 'overview' | 'policy'): HTMLElement {
  const { desired, applied, inSync } = policy;
  const tab = (name: typeof active, href: string, label: string) => el('a', { href, class: 'tab', 'aria-current': name === active ? 'page' : null }, label);
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
        applied ? `v${applied.version} ${applied.status}${applied.message ? `: ${applied.message}` : ''} ` : 'not reported ',
        inSync ? badge('in sync', 'ok') : badge('pending', 'warn'),
      ),
    ),
    el('nav', { class: 'tabs', 'aria-label': 'Site sections' }, tab('overview', siteHref(view.id), 'Overview'), tab('policy', policyHref(view.id), 'Policy')),
  );
}
