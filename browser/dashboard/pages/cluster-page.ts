/** Cluster settings: this agent's role, the monitoring state, the election type and the peers; and the admin password. */
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { showFieldIssues } from '../../ui/field-issues';
import { passwordField } from '../../ui/form-fields';
import { t } from '../../ui/i18n/i18n';
import { issueText } from '../../ui/i18n/server-text';
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
        [t('dashboard.cluster.role'), t(`dashboard.cluster.roles.${cluster.role}`)],
        [
          t('dashboard.cluster.monitoring'),
          badge(t(`dashboard.cluster.states.${cluster.monitoringState}`), STATE_TONE[cluster.monitoringState]),
        ],
        [t('dashboard.cluster.election'), t(`dashboard.cluster.${cluster.electionType}`)],
        [t('dashboard.cluster.siteId'), cluster.siteId],
      ],
      'cluster-facts',
    ),
    el('h3', {}, t('dashboard.cluster.peers')),
    cluster.peers.length === 0
      ? el('p', { class: 'muted', 'data-testid': 'no-peers' }, t('dashboard.cluster.noPeers'))
      : dataTable({
          caption: t('dashboard.cluster.peersCaption'),
          rows: cluster.peers,
          columns: [
            { header: t('dashboard.cluster.agent'), cell: (p) => p.id },
            { header: t('dashboard.cluster.address'), cell: (p) => p.address },
            { header: t('dashboard.cluster.peerRole'), cell: (p) => t(`dashboard.cluster.roles.${p.role}`) },
          ],
        }),
  );
}

function passwordCard(ctx: PageContext, onChanged: () => void): HTMLElement {
  const current = passwordField({
    path: 'currentPassword',
    label: t('dashboard.cluster.currentPassword'),
    autocomplete: 'current-password',
  });
  const next = passwordField({
    path: 'newPassword',
    label: t('dashboard.cluster.newPassword'),
    hint: t('dashboard.cluster.newPasswordHint'),
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
      status.say(unplaced.length ? unplaced.map(issueText).join('; ') : describeError(error), 'error');
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
    el('h2', { id: 'account-heading' }, t('dashboard.cluster.adminPassword')),
    el('div', { class: 'grid' }, current.node, next.node),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, t('dashboard.cluster.changePassword'))),
    el('p', { class: 'field-hint' }, t('dashboard.cluster.signsOut')),
    status.node,
  );
}

export function clusterPage(ctx: PageContext, onPasswordChanged: () => void): Page {
  const holder = el('div', {}, t('common.loading'));
  const status = liveRegion();
  void ctx.api.get('/cluster', ClusterAnswerSchema).then(
    (cluster) => replaceChildren(holder, clusterCard(cluster)),
    (error: unknown) => status.say(t('dashboard.cluster.cannotRead', { error: describeError(error) }), 'error'),
  );
  return {
    title: t('dashboard.sections.cluster'),
    node: el('div', {}, status.node, holder, passwordCard(ctx, onPasswordChanged)),
  };
}
