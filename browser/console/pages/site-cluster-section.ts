/**
 * A clustered site's nodes (docs/cluster.md, "In the fleet console"): the master and its term, the last takeover and
 * each node's role, from the takeover events the nodes send. A site none of whose nodes ever reported a takeover is a
 * single agent: the section stays hidden.
 */
import { SiteClusterAnswerSchema, type SiteClusterAnswer } from '../../../shared/console/site-cluster-answer';
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { untranslated } from '../../ui/i18n/untranslated';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import type { PageContext } from '../page-context';

const ROLE_TONE = { master: 'ok', standby: 'muted', fenced: 'warn' } as const;

function takeoverText(takeover: NonNullable<SiteClusterAnswer['lastTakeover']>): Node[] {
  const { previous } = takeover;
  const at = formatTime(takeover.at);
  const took = t('console.cluster.tookOver', { node: takeover.nodeId, term: takeover.term, time: at });
  if (previous === null) return [el('span', {}, took)];
  if (!previous.fenced)
    return [el('span', {}, `${took} ${t('console.cluster.fromUnfenced', { node: previous.nodeId })}`)];
  return [
    el('span', {}, `${took} ${t('console.cluster.fromFenced', { node: previous.nodeId })} `),
    previous.reason === null ? el('span', {}) : untranslated(previous.reason),
  ];
}

function clusterFacts(answer: SiteClusterAnswer): HTMLElement {
  const { master, lastTakeover } = answer;
  const facts: [string, Node | string][] = [
    [
      t('console.cluster.master'),
      master
        ? t('console.cluster.masterValue', { node: master.nodeId, time: formatTime(master.since) })
        : t('console.cluster.noMaster'),
    ],
    [t('console.cluster.term'), answer.term ?? '–'],
    [
      t('console.cluster.lastTakeover'),
      lastTakeover ? el('span', {}, ...takeoverText(lastTakeover)) : t('console.cluster.noTakeover'),
    ],
  ];
  return el(
    'dl',
    { class: 'facts', 'data-testid': 'cluster-facts' },
    ...facts.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]),
  );
}

function nodesTable(answer: SiteClusterAnswer): HTMLElement {
  return dataTable({
    caption: t('console.cluster.nodesCaption'),
    testId: 'cluster-nodes',
    rows: answer.nodes,
    columns: [
      { header: t('console.cluster.node'), cell: (n) => n.nodeId },
      {
        header: t('console.cluster.role'),
        cell: (n) => badge(t(`console.cluster.roles.${n.role}`), ROLE_TONE[n.role]),
      },
      { header: t('console.cluster.term'), cell: (n) => n.term, numeric: true },
      { header: t('console.cluster.reported'), cell: (n) => formatTime(n.at) },
      { header: t('console.cluster.reason'), cell: (n) => (n.reason === null ? '–' : untranslated(n.reason)) },
    ],
  });
}

export function siteClusterSection(ctx: PageContext, siteId: string): HTMLElement {
  const live = liveRegion();
  const body = el('div', {});
  const section = el(
    'section',
    { class: 'card', 'aria-labelledby': 'cluster-heading', hidden: '', 'data-testid': 'site-cluster' },
    el('h2', { id: 'cluster-heading' }, t('console.cluster.heading')),
    body,
    live.node,
  );
  ctx.api.get(`/sites/${encodeURIComponent(siteId)}/cluster`, SiteClusterAnswerSchema).then(
    (answer) => {
      if (answer.nodes.length === 0) return;
      section.removeAttribute('hidden');
      replaceChildren(body, clusterFacts(answer), nodesTable(answer));
    },
    (error: unknown) => {
      section.removeAttribute('hidden');
      live.say(t('console.cluster.cannotLoad', { error: describeError(error) }), 'error');
    },
  );
  return section;
}
