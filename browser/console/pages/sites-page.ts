/** The fleet: every site with connectivity, policy versions, load against budget and alerts; search and filters. */
import { DEFAULT_NOMINAL_VOLTS } from '../../../shared/policy/policy-schema';
import { describeError } from '../../ui/json-api';
import { SiteListSchema, type SiteList, type SiteSummary } from '../api-schemas';
import { evLoadInBudgetUnit, maxPhase } from '../../../shared/load-figures';
import type { Page, PageContext } from '../page-context';
import { siteHref } from '../routes';
import { knownPolicy, loadStatuses, type SiteStatus } from '../site-status';
import { badge, connectivityBadge } from '../../ui/badges';
import { dataTable, type Column } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { selectField, textField } from '../../ui/form-fields';
import { liveRegion } from '../../ui/live-region';
import { formatNumber, formatAmps } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { saidText } from '../../ui/i18n/untranslated';
import { csmsLinkCell } from './csms-link-cell';

const MAX_PAGES = 10;

/** Every site of the tenant, following the list's cursor. */
export async function listAllSites(ctx: PageContext): Promise<SiteSummary[]> {
  const sites: SiteSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: SiteList = await ctx.api.get(
      `/sites?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      SiteListSchema,
    );
    sites.push(...answer.items);
    cursor = answer.cursor;
    if (cursor === null) break;
  }
  return sites;
}

function policyCell(status: SiteStatus | Error | undefined): Node | string {
  if (status === undefined) return t('console.list.loading');
  if (status instanceof Error) return t('console.list.unavailable');
  const { desired, applied, inSync, inForce } = status.policy;
  if (!desired)
    return inForce
      ? el(
          'span',
          { class: 'policy-versions' },
          t(inForce.source === 'config' ? 'console.list.runsConfigured' : 'console.list.runsOwn'),
          badge(t('console.list.notPushed'), 'muted'),
        )
      : badge(t('console.list.noPolicy'), 'muted');
  const appliedText = applied
    ? `${t('console.list.applied', { version: String(applied.version) })}${applied.status === 'rejected' ? t('console.list.rejected') : ''}`
    : t('console.list.notApplied');
  return el(
    'span',
    { class: 'policy-versions' },
    t('console.list.desired', { version: String(desired.version), applied: appliedText }),
    inSync ? badge(t('console.list.inSync'), 'ok') : badge(t('console.list.pending'), 'warn'),
  );
}

function loadCell(status: SiteStatus | Error | undefined): Node | string {
  if (status === undefined || status instanceof Error) return '–';
  const budget = knownPolicy(status.policy)?.budget;
  const allocated = status.latest?.allocatedAmps;
  if (!allocated) return t('console.list.noTelemetry');
  if (!budget) return t('console.list.budgetUnknown', { amps: formatAmps(maxPhase(allocated)) });
  const load = evLoadInBudgetUnit(allocated, budget.unit, DEFAULT_NOMINAL_VOLTS);
  const text = `${formatNumber(load, 1)} / ${formatNumber(budget.max)} ${budget.unit}`;
  return el(
    'span',
    { class: 'load' },
    el('meter', {
      min: 0,
      max: budget.max,
      high: budget.max * 0.9,
      value: Math.min(load, budget.max),
      'aria-label': t('console.list.evLoadLabel', { text }),
    }),
    ` ${text}`,
  );
}

const alertCount = (critical: number, warnings: number) =>
  [
    critical ? t('console.list.critical', { count: critical }) : '',
    warnings ? t('console.list.warnings', { count: warnings }) : '',
  ]
    .filter(Boolean)
    .join(', ');

function alertsCell(status: SiteStatus | Error | undefined): Node | string {
  if (status === undefined || status instanceof Error) return '–';
  const critical = status.alerts.filter((a) => a.severity === 'error');
  if (status.alerts.length === 0) return badge(t('console.list.none'), 'ok');
  const latest = status.alerts[0]!;
  return el(
    'span',
    {},
    badge(alertCount(critical.length, status.alerts.length - critical.length), critical.length ? 'bad' : 'warn'),
    ' ',
    saidText(latest),
  );
}

export function sitesPage(ctx: PageContext): Page {
  const live = liveRegion('sites-status');
  const tableHolder = el('div', {}, t('console.list.loadingSites'));
  const statuses = new Map<string, SiteStatus | Error>();
  let sites: SiteSummary[] = [];

  const search = textField({
    path: 'search',
    label: t('console.list.search'),
    placeholder: t('console.list.searchPlaceholder'),
  });
  const connectivity = selectField({
    path: 'connectivity',
    label: t('console.list.connectivity'),
    choices: [
      { value: 'all', label: t('console.list.all') },
      { value: 'online', label: t('console.list.online') },
      { value: 'offline', label: t('console.list.offline') },
      { value: 'unknown', label: t('console.list.unknown') },
    ],
  });
  const condition = selectField({
    path: 'condition',
    label: t('console.list.show'),
    choices: [
      { value: 'all', label: t('console.list.allSites') },
      { value: 'pending', label: t('console.list.notInSync') },
      { value: 'alerts', label: t('console.list.withAlerts') },
    ],
  });

  const matches = (site: SiteSummary) => {
    const raw = search.read();
    const term = typeof raw === 'string' ? raw.toLowerCase() : '';
    const status = statuses.get(site.id);
    if (term && !`${site.id} ${site.name ?? ''}`.toLowerCase().includes(term)) return false;
    if (connectivity.read() !== 'all' && site.connectivity.state !== connectivity.read()) return false;
    if (condition.read() === 'pending') return !(status && !(status instanceof Error) && status.policy.inSync);
    if (condition.read() === 'alerts')
      return status !== undefined && !(status instanceof Error) && status.alerts.length > 0;
    return true;
  };

  const columns: Column<SiteSummary>[] = [
    {
      header: t('console.list.site'),
      cell: (s) =>
        el('a', { href: siteHref(s.id) }, s.name ?? s.id, s.name ? el('span', { class: 'muted' }, ` ${s.id}`) : null),
    },
    { header: t('console.list.connectivity'), cell: (s) => connectivityBadge(s.connectivity.state) },
    { header: t('console.list.policy'), cell: (s) => policyCell(statuses.get(s.id)) },
    { header: t('console.list.load'), cell: (s) => loadCell(statuses.get(s.id)) },
    { header: t('console.list.alerts'), cell: (s) => alertsCell(statuses.get(s.id)) },
    { header: t('console.list.csms'), cell: (s) => csmsLinkCell(statuses.get(s.id), ctx.now()) },
  ];
  const render = () => {
    const shown = sites.filter(matches);
    replaceChildren(
      tableHolder,
      dataTable({
        caption: t('console.list.caption', { shown: formatNumber(shown.length), total: formatNumber(sites.length) }),
        columns,
        rows: shown,
        empty: t('console.list.noMatch'),
        testId: 'sites-table',
      }),
    );
  };
  for (const field of [search, connectivity, condition]) field.control.addEventListener('input', render);

  void (async () => {
    try {
      sites = await listAllSites(ctx);
      render();
      await loadStatuses(
        ctx.api,
        sites.map((s) => s.id),
        ctx.now(),
        (siteId, status) => {
          statuses.set(siteId, status);
          render();
        },
      );
      live.say(t('console.list.loaded', { count: sites.length }), 'ok');
    } catch (error) {
      live.say(t('console.list.cannotLoad', { error: describeError(error) }), 'error');
    }
  })();

  const filters = el(
    'form',
    { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
    search.node,
    connectivity.node,
    condition.node,
  );
  return { title: t('console.sites'), node: el('div', {}, filters, live.node, tableHolder) };
}
