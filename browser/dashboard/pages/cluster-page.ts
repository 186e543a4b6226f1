/** Cluster settings: this agent's role, the monitoring state, the election type and the peers; and the admin password. */
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { showFieldIssues } from '../../ui/field-issues';
import { passwordField } from '../../ui/form-fields';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { ClusterAnswerSchema, SessionAnswerSchema, type ClusterAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { factsList } from './facts-list';

const STATE_TONE = { idle: 'muted', balancing: 'ok', degraded: 'bad' } as const;

function clusterCard(cluster: ClusterAnswer): HTMLElement {
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'cluster-heading' },
    el('h2', { id: 'cluster-heading' }, cluster.siteName ?? cluster.siteId),
    factsList(
      [
        ['Current role', cluster.role.toUpperCase()],
        ['Monitoring state', badge(cluster.monitoringState.toUpperCase(), STATE_TONE[cluster.monitoringState])],
        ['Master election type', cluster.electionType === 'static' ? 'Static' : 'Dynamic'],
        ['Site id', cluster.siteId],
      ],
      'cluster-facts',
    ),
    el('h3', {}, 'Peers'),
    cluster.peers.length === 0
      ? el(
          'p',
          { class: 'muted', 'data-testid': 'no-peers' },
          'No peers: this agent manages the site alone (static master). Standby agents appear here once clustering is set up.',
        )
      : dataTable({
          caption: 'Agents in this cluster',
          rows: cluster.peers,
          columns: [
            { header: 'Agent', cell: (p) => p.id },
            { header: 'Address', cell: (p) => p.address },
            { header: 'Role', cell: (p) => p.role },
          ],
        }),
  );
}

function passwordCard(ctx: PageContext, onChanged: () => void): HTMLElement {
  const current = passwordField({
    path: 'currentPassword',
    label: 'Current password',
    autocomplete: 'current-password',
  });
  const next = passwordField({
    path: 'newPassword',
    label: 'New password',
    hint: 'At least 12 characters.',
    autocomplete: 'new-password',
  });
  const status = liveRegion('password-status');
  const fields = [current, next];
  const save = async () => {
    try {
      showFieldIssues(fields, []);
      await ctx.api.send(
        'PUT',
        '/account/password',
        { currentPassword: current.read(), newPassword: next.read() },
        SessionAnswerSchema,
      );
      onChanged();
    } catch (error) {
      const unplaced = showFieldIssues(fields, error instanceof ApiError ? error.details : []);
      status.say(unplaced.length ? unplaced.map((i) => i.message).join('; ') : describeError(error), 'error');
    }
  };
  return el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'account-heading',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void save()),
    },
    el('h2', { id: 'account-heading' }, 'Admin password'),
    el('div', { class: 'grid' }, current.node, next.node),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Change password')),
    el('p', { class: 'field-hint' }, 'Changing it signs every session out.'),
    status.node,
  );
}

export function clusterPage(ctx: PageContext, onPasswordChanged: () => void): Page {
  const holder = el('div', {}, 'Loading…');
  const status = liveRegion();
  void ctx.api.get('/cluster', ClusterAnswerSchema).then(
    (cluster) => replaceChildren(holder, clusterCard(cluster)),
    (error: unknown) => status.say(`Could not read the cluster: ${describeError(error)}`, 'error'),
  );
  return { title: 'Cluster settings', node: el('div', {}, status.node, holder, passwordCard(ctx, onPasswordChanged)) };
}
