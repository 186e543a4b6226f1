/**
 * The Cluster page's election form: the site's election type and static order, changed for every node at once (the
 * agent writes it to etcd with a compare-and-swap on the version the form was filled with, docs/cluster.md). The page
 * reads the cluster every few seconds; the form takes the new values only while the admin has not started an edit, so
 * a save never silently overwrites a change made elsewhere: that save is refused and the form filled again.
 */
import { el } from '../../ui/element';
import { showFieldIssues } from '../../ui/field-issues';
import { listField, selectField } from '../../ui/form-fields';
import { t } from '../../ui/i18n/i18n';
import { issueText } from '../../ui/i18n/server-text';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { ClusterAnswerSchema, type EtcdNodeStatus } from '../../../shared/dashboard/cluster-answer';
import type { PageContext } from '../page-context';

export interface ElectionForm {
  readonly node: HTMLElement;
  /** The node's latest answer: filled into the form unless an edit is under way. */
  show(node: EtcdNodeStatus): void;
}

export function electionForm(ctx: PageContext): ElectionForm {
  const type = selectField({
    path: 'electionType',
    label: t('dashboard.cluster.election'),
    choices: [
      { value: 'static', label: t('dashboard.cluster.static') },
      { value: 'dynamic', label: t('dashboard.cluster.dynamic') },
    ],
  });
  const order = listField({
    path: 'staticOrder',
    label: t('dashboard.cluster.order'),
    hint: t('dashboard.cluster.orderHint'),
  });
  const fields = [type, order];
  const status = liveRegion('election-status');
  let version: string | undefined;
  let editing = false;
  const fill = (node: EtcdNodeStatus) => {
    type.write(node.electionType);
    order.write(node.staticOrder);
    version = node.electionVersion;
  };
  const save = async () => {
    try {
      showFieldIssues(fields, []);
      const answer = await ctx.api.send(
        'PUT',
        '/cluster/election',
        { electionType: type.read(), staticOrder: order.read(), version },
        ClusterAnswerSchema,
      );
      editing = false;
      if (answer.node.mode === 'etcd') fill(answer.node);
      status.say(t('dashboard.cluster.electionSaved'), 'ok');
    } catch (error) {
      const unplaced = showFieldIssues(fields, error instanceof ApiError ? error.details : []);
      status.say(unplaced.length ? unplaced.map(issueText).join('; ') : describeError(error), 'error');
      // Changed elsewhere meanwhile: the next read fills the form with what is in force now.
      if (error instanceof ApiError && error.status === 409) editing = false;
    }
  };
  const node = el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'election-heading',
      novalidate: true,
      oninput: () => (editing = true),
      onsubmit: (e: Event) => (e.preventDefault(), void save()),
    },
    el('h2', { id: 'election-heading' }, t('dashboard.cluster.electionHeading')),
    el('p', { class: 'field-hint' }, t('dashboard.cluster.electionHint')),
    el('div', { class: 'grid' }, type.node, order.node),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, t('dashboard.cluster.changeElection'))),
    status.node,
  );
  return {
    node,
    show: (answer) => {
      if (!editing) fill(answer);
    },
  };
}
