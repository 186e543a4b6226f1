/**
 * Cluster settings: this agent's place in its cluster (kept current while open), the monitoring state, the site's
 * election (on etcd); and the admin password.
 */
import { badge } from '../../ui/badges';
import { el, replaceChildren } from '../../ui/element';
import { showFieldIssues } from '../../ui/field-issues';
import { passwordField } from '../../ui/form-fields';
import { t } from '../../ui/i18n/i18n';
import { issueText } from '../../ui/i18n/server-text';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { SessionAnswerSchema } from '../../../shared/dashboard/api-answers';
import { ClusterAnswerSchema, type ClusterAnswer } from '../../../shared/dashboard/cluster-answer';
import type { Page, PageContext } from '../page-context';
import { clusterNodeFacts, clusterPeers } from './cluster-node-view';
import { electionForm } from './election-form';
import { factsList } from './facts-list';

const STATE_TONE = { idle: 'muted', balancing: 'ok', degraded: 'bad' } as const;
/**
 * How long the open page waits after a read before it reads the cluster again. The node's state lives in etcd (the
 * leader, the peers' presence), which the agent reads when asked rather than watches, so the page asks instead of
 * waiting for a live topic.
 */
const REFRESH_MS = 2_000;

function clusterCard(cluster: ClusterAnswer): HTMLElement {
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'cluster-heading' },
    el('h2', { id: 'cluster-heading' }, cluster.siteName ?? cluster.siteId),
    factsList(
      [
        ...clusterNodeFacts(cluster.node),
        [
          t('dashboard.cluster.monitoring'),
          badge(t(`dashboard.cluster.states.${cluster.monitoringState}`), STATE_TONE[cluster.monitoringState]),
        ],
        [t('dashboard.cluster.siteId'), cluster.siteId],
      ],
      'cluster-facts',
    ),
    el('h3', {}, t('dashboard.cluster.peers')),
    clusterPeers(cluster.node),
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
  // Built once, shown on a node on etcd only (a single agent or two gateways have no election to change).
  const election = electionForm(ctx);
  election.node.hidden = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let open = true;
  // The next read waits for this one (it may take the agent's etcd timeout), so reads never pile up.
  const refresh = () =>
    ctx.api
      .get('/cluster', ClusterAnswerSchema)
      .then(
        (cluster) => {
          status.say('');
          replaceChildren(holder, clusterCard(cluster));
          election.node.hidden = cluster.node.mode !== 'etcd';
          if (cluster.node.mode === 'etcd') election.show(cluster.node);
        },
        (error: unknown) => status.say(t('dashboard.cluster.cannotRead', { error: describeError(error) }), 'error'),
      )
      .finally(() => {
        if (open) timer = setTimeout(() => void refresh(), REFRESH_MS);
      });
  void refresh();
  return {
    title: t('dashboard.sections.cluster'),
    node: el('div', {}, status.node, holder, election.node, passwordCard(ctx, onPasswordChanged)),
    dispose: () => {
      open = false;
      clearTimeout(timer);
    },
  };
}
