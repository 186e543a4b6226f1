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
  if (status === undefined) return 'loading…';
  if (status instanceof Error) return 'unavailable';
  const { desired, applied, inSync, inForce } = status.policy;
  if (!desired)
    return inForce
      ? el(
          'span',
          { class: 'policy-versions' },
          `runs its ${inForce.source === 'config' ? 'configured' : 'own'} policy `,
          badge('not pushed', 'muted'),
        )
      : badge('no policy', 'muted');
  const appliedText = applied
    ? `applied v${applied.version}${applied.status === 'rejected' ? ' (rejected)' : ''}`
    : 'not applied yet';
  return el(
    'span',
    { class: 'policy-versions' },
    `desired v${desired.version} · ${appliedText} `,
    inSync ? badge('in sync', 'ok') : badge('pending', 'warn'),
  );
}

function loadCell(status: SiteStatus | Error | undefined): Node | string {
  if (status === undefined || status instanceof Error) return '–';
  const budget = knownPolicy(status.policy)?.budget;
  const allocated = status.latest?.allocatedAmps;
  if (!allocated) return 'no recent telemetry';
  if (!budget) return `${maxPhase(allocated).toFixed(1)} A per phase (budget unknown)`;
  const load = evLoadInBudgetUnit(allocated, budget.unit, DEFAULT_NOMINAL_VOLTS);
  const text = `${load.toFixed(1)} / ${budget.max} ${budget.unit}`;
  return el(
    'span',
    { class: 'load' },
    el('meter', {
      min: 0,
      max: budget.max,
      high: budget.max * 0.9,
      value: Math.min(load, budget.max),
      'aria-label': `EV load ${text}`,
    }),
    ` ${text}`,
  );
}

const alertCount = (critical: number, warnings: number) =>
  [critical ? `${critical} critical` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '']
    .filter(Boolean)
    .join(', ');

function alertsCell(status: SiteStatus | Error | undefined): Node | string {
  if (status === undefined || status instanceof Error) return '–';
  const critical = status.alerts.filter((a) => a.severity === 'error');
  if (status.alerts.length === 0) return badge('none', 'ok');
  const latest = status.alerts[0]!;
  return el(
    'span',
    {},
    badge(alertCount(critical.length, status.alerts.length - critical.length), critical.length ? 'bad' : 'warn'),
    ` ${latest.message}`,
  );
}

export function sitesPage(ctx: PageContext): Page {
  const live = liveRegion('sites-status');
  const tableHolder = el('div', {}, 'Loading sites…');
  const statuses = new Map<string, SiteStatus | Error>();
  let sites: SiteSummary[] = [];

  const search = textField({ path: 'search', label: 'Search', placeholder: 'site id or name' });
  const connectivity = selectField({
    path: 'connectivity',
    label: 'Connectivity',
    choices: [
      { value: 'all', label: 'All' },
      { value: 'online', label: 'Online' },
      { value: 'offline', label: 'Offline' },
      { value: 'unknown', label: 'Unknown' },
    ],
  });
  const condition = selectField({
    path: 'condition',
    label: 'Show',
    choices: [
      { value: 'all', label: 'All sites' },
      { value: 'pending', label: 'Policy not in sync' },
      { value: 'alerts', label: 'With alerts' },
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
      header: 'Site',
      cell: (s) =>
        el('a', { href: siteHref(s.id) }, s.name ?? s.id, s.name ? el('span', { class: 'muted' }, ` ${s.id}`) : null),
    },
    { header: 'Connectivity', cell: (s) => connectivityBadge(s.connectivity.state) },
    { header: 'Policy', cell: (s) => policyCell(statuses.get(s.id)) },
    { header: 'EV load / budget', cell: (s) => loadCell(statuses.get(s.id)) },
    { header: 'Alerts (24 h)', cell: (s) => alertsCell(statuses.get(s.id)) },
    { header: 'CSMS link', cell: (s) => csmsLinkCell(statuses.get(s.id), ctx.now()) },
  ];
  const render = () => {
    const shown = sites.filter(matches);
    replaceChildren(
      tableHolder,
      dataTable({
        caption: `${shown.length} of ${sites.length} sites`,
        columns,
        rows: shown,
        empty: 'No site matches the filters.',
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
      live.say(`${sites.length} sites loaded.`, 'ok');
    } catch (error) {
      live.say(`Could not load the sites: ${describeError(error)}`, 'error');
    }
  })();

  const filters = el(
    'form',
    { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
    search.node,
    connectivity.node,
    condition.node,
  );
  return { title: 'Sites', node: el('div', {}, filters, live.node, tableHolder) };
}
