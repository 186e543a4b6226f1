/** One site: chargers and their states, the load chart, sessions and events. */
import { describeError } from '../../ui/json-api';
import { EventListSchema, SessionListSchema, SitePolicySchema, SiteViewSchema } from '../api-schemas';
import type { Page, PageContext } from '../page-context';
import { el, replaceChildren } from '../../ui/element';
import { liveRegion } from '../../ui/live-region';
import { t } from '../../ui/i18n/i18n';
import { chargersTable, eventsTable, sessionsTable } from './site-activity';
import { sessionsExport } from './sessions-export';
import { siteHeader } from './site-header';
import { siteDemandSection } from './site-demand-section';
import { siteLoadSection } from './site-load-section';
import { siteCsmsSection } from './site-csms-section';
import { siteClusterSection } from './site-cluster-section';
import { knownPolicy } from '../site-status';

const DAY_MS = 24 * 3600_000;

export function sitePage(ctx: PageContext, siteId: string): Page {
  const node = el('div', {}, t('console.site.loading'));
  const live = liveRegion('site-status');
  const id = encodeURIComponent(siteId);
  void (async () => {
    try {
      const from = ctx.now() - DAY_MS;
      const [view, policy, sessions, events] = await Promise.all([
        ctx.api.get(`/sites/${id}`, SiteViewSchema),
        ctx.api.get(`/sites/${id}/policy`, SitePolicySchema),
        ctx.api.get(`/sites/${id}/sessions?from=${from}&limit=100`, SessionListSchema),
        ctx.api.get(`/sites/${id}/events?from=${from}&limit=100`, EventListSchema),
      ]);
      const section = (heading: string, content: HTMLElement, action?: HTMLElement) =>
        el(
          'section',
          { class: 'card' },
          el('div', { class: 'section-head' }, el('h2', {}, heading), action ?? null),
          content,
        );
      replaceChildren(
        node,
        siteHeader(view, policy, 'overview'),
        siteLoadSection(ctx, view.site, knownPolicy(policy)),
        siteCsmsSection(ctx, siteId),
        siteClusterSection(ctx, siteId),
        section(t('console.site.chargers'), chargersTable(view.site, sessions.items, events.items)),
        section(t('console.site.sessions'), sessionsTable(sessions.items), sessionsExport(ctx, siteId, from)),
        section(t('console.site.events'), eventsTable(events.items)),
        siteDemandSection(ctx, siteId),
      );
    } catch (error) {
      replaceChildren(node, live.node);
      live.say(t('console.site.cannotLoad', { id: siteId, error: describeError(error) }), 'error');
    }
  })();
  return { title: t('console.site.title', { id: siteId }), node };
}
