/**
 * A clustered site's nodes (docs/cluster.md, "In the fleet console"): the master and its term, etcd's members, the last
 * takeover (on two gateways without a witness: which gateway holds the chargers' majority, since when), and each
 * node's role, health, term, since when and when it was last heard of (marked stale when that was long ago), from the
 * takeover and majority events and the telemetry's cluster figures the nodes send. A site none of whose nodes
 * ever reported either is a single agent: the section stays hidden.
 */
import { CLUSTER_STALE_AFTER_MS } from '../../../shared/console/cluster-node-health';
import { SiteClusterAnswerSchema, type SiteClusterAnswer } from '../../../shared/console/site-cluster-answer';
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatNumber, formatTime } from '../../ui/i18n/format';
import { fenceReasonText } from '../../ui/i18n/fence-reason';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import type { PageContext } from '../page-context';

const ROLE_TONE = { master: 'ok', standby: 'muted', fenced: 'warn' } as const;
const HEALTH_TONE = { healthy: 'ok', unhealthy: 'bad', unknown: 'muted' } as const;

type NodeAnswer = SiteClusterAnswer['nodes'][number];

/** When a node was last heard of, and a mark when that was long ago (what the page says of it may be out of date). */
function lastHeardCell(node: NodeAnswer): Node {
  const when = node.lastHeard === null ? t('console.cluster.never') : formatTime(node.lastHeard);
  return el('span', {}, when, ...(node.stale ? [' ', badge(t('console.cluster.stale'), 'warn')] : []));
}

function takeoverText(takeover: NonNullable<SiteClusterAnswer['lastTakeover']>): Node[] {
  const { previous } = takeover;
  const at = formatTime(takeover.at);
  const took = t('console.cluster.tookOver', { node: takeover.nodeId, term: takeover.term, time: at });
  if (previous === null) return [el('span', {}, took)];
  if (!previous.fenced)
    return [el('span', {}, `${took} ${t('console.cluster.fromUnfenced', { node: previous.nodeId })}`)];
  return [
    el('span', {}, `${took} ${t('console.cluster.fromFenced', { node: previous.nodeId })} `),
    el('span', {}, ...(previous.reason === null ? [] : [fenceReasonText(previous.reason)])),
  ];
}

type Master = NonNullable<SiteClusterAnswer['master']>;

function etcdMasterText(master: Extract<Master, { mode: 'etcd' }> | null): string {
  if (master === null) return t('console.cluster.noMaster');
  if (master.since === null) return master.nodeId;
  return t('console.cluster.masterValue', { node: master.nodeId, time: formatTime(master.since) });
}

/** Two gateways have no term, etcd nor takeover: only which of them may give more than the fail-safe. */
function majorityFacts(holder: Extract<Master, { mode: 'twoGateway' }>['holder']): [string, Node | string][] {
  const value =
    holder === null
      ? t('console.cluster.noMajority')
      : t('console.cluster.majorityValue', {
          node: holder.nodeId,
          counted: formatNumber(holder.countedChargers),
          count: holder.siteChargers,
          site: formatNumber(holder.siteChargers),
          time: formatTime(holder.since),
        });
  return [[t('console.cluster.majority'), value]];
}

function etcdFacts(answer: SiteClusterAnswer, master: Extract<Master, { mode: 'etcd' }> | null) {
  const { lastTakeover } = answer;
  return [
    [t('console.cluster.master'), etcdMasterText(master)],
    [t('console.cluster.term'), answer.term ?? '–'],
    [
      t('console.cluster.lastTakeover'),
      lastTakeover ? el('span', {}, ...takeoverText(lastTakeover)) : t('console.cluster.noTakeover'),
    ],
    [
      t('console.cluster.etcd'),
      answer.etcd
        ? t('console.cluster.etcdValue', {
            healthy: formatNumber(answer.etcd.healthy),
            count: answer.etcd.members,
            members: formatNumber(answer.etcd.members),
            node: answer.etcd.nodeId,
            time: formatTime(answer.etcd.at),
          })
        : t('console.cluster.noEtcd'),
    ],
  ] satisfies [string, Node | string][];
}

function clusterFacts(answer: SiteClusterAnswer): HTMLElement {
  const { master } = answer;
  const facts = master?.mode === 'twoGateway' ? majorityFacts(master.holder) : etcdFacts(answer, master);
  return el(
    'dl',
    { class: 'facts', 'data-testid': 'cluster-facts' },
    ...facts.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]),
  );
}

function nodesTable(answer: SiteClusterAnswer): HTMLElement {
  return dataTable({
    caption: t('console.cluster.nodesCaption', { minutes: formatNumber(CLUSTER_STALE_AFTER_MS / 60_000) }),
    testId: 'cluster-nodes',
    rows: answer.nodes,
    columns: [
      { header: t('console.cluster.node'), cell: (n) => n.nodeId },
      {
        header: t('console.cluster.role'),
        cell: (n) => badge(t(`console.cluster.roles.${n.role}`), ROLE_TONE[n.role]),
      },
      {
        header: t('console.cluster.health'),
        cell: (n) => badge(t(`console.cluster.healths.${n.health}`), HEALTH_TONE[n.health]),
      },
      { header: t('console.cluster.term'), cell: (n) => n.term ?? '–', numeric: true },
      { header: t('console.cluster.since'), cell: (n) => (n.since === null ? '–' : formatTime(n.since)) },
      { header: t('console.cluster.lastHeard'), cell: lastHeardCell },
      { header: t('console.cluster.reason'), cell: (n) => (n.reason === null ? '–' : fenceReasonText(n.reason)) },
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
