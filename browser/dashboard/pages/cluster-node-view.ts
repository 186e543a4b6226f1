/** The cluster node's part of the Cluster settings page: its role, election, leader, fence and witness, and its peers. */
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el } from '../../ui/element';
import { formatNumber, formatTime } from '../../ui/i18n/format';
import { fenceReasonText } from '../../ui/i18n/fence-reason';
import { t } from '../../ui/i18n/i18n';
import type { ClusterNodeStatus, EtcdNodeStatus, TwoGatewayNodeStatus } from '../../../shared/dashboard/cluster-answer';
import type { Fact } from './facts-list';

const ROLE_TONE = { master: 'ok', standby: 'muted', fenced: 'bad' } as const;

const role = (name: keyof typeof ROLE_TONE) => badge(t(`dashboard.cluster.roles.${name}`), ROLE_TONE[name]);
const election = (type: 'static' | 'dynamic') => t(`dashboard.cluster.${type}`);

function etcdFacts(node: EtcdNodeStatus): Fact[] {
  const { leader, lastFence } = node;
  return [
    [t('dashboard.cluster.nodeId'), node.nodeId],
    [t('dashboard.cluster.role'), role(node.role)],
    [t('dashboard.cluster.election'), election(node.electionType)],
    ...(node.electionType === 'static' ? [[t('dashboard.cluster.order'), node.staticOrder.join(' → ')] as const] : []),
    [
      t('dashboard.cluster.leader'),
      leader === null
        ? t('dashboard.cluster.noLeader')
        : leader.since === null
          ? t('dashboard.cluster.leaderTerm', { node: leader.nodeId, term: leader.term })
          : t('dashboard.cluster.leaderSince', {
              node: leader.nodeId,
              term: leader.term,
              since: formatTime(leader.since),
            }),
    ],
    [
      t('dashboard.cluster.lastFence'),
      lastFence === null
        ? t('dashboard.cluster.noFence')
        : el(
            'span',
            {},
            t('dashboard.cluster.fence', { term: lastFence.term, at: formatTime(lastFence.at) }),
            ': ',
            fenceReasonText(lastFence.reason),
          ),
    ],
    [
      t('dashboard.cluster.witness'),
      node.witness.etcdReachable
        ? badge(t('dashboard.cluster.etcdReachable'), 'ok')
        : badge(t('dashboard.cluster.etcdUnreachable'), 'bad'),
    ],
  ];
}

function twoGatewayFacts(node: TwoGatewayNodeStatus): Fact[] {
  const since = node.majoritySince === null ? '' : formatTime(node.majoritySince);
  return [
    [t('dashboard.cluster.nodeId'), node.nodeId],
    [t('dashboard.cluster.election'), `${election('static')}: ${t('dashboard.cluster.twoGatewayMode')}`],
    [t('dashboard.cluster.order'), node.staticOrder.join(' → ')],
    [
      t('dashboard.cluster.majority'),
      `${t('dashboard.cluster.counted', { counted: formatNumber(node.countedChargers), site: formatNumber(node.siteChargers) })}: ${t(
        node.holdsMajority ? 'dashboard.cluster.holdsMajority' : 'dashboard.cluster.noMajority',
      )}`,
    ],
    [
      t('dashboard.cluster.mayExceed'),
      node.mayExceedFailSafe
        ? badge(t('dashboard.cluster.mayExceedSince', { since }), 'ok')
        : node.majoritySince === null
          ? badge(t('dashboard.cluster.failSafeOnly'), 'muted')
          : badge(t('dashboard.cluster.waitingHold', { since }), 'muted'),
    ],
  ];
}

/** The facts of this agent's place in its cluster, after the site's own. */
export function clusterNodeFacts(node: ClusterNodeStatus): Fact[] {
  if (node.mode === 'etcd') return etcdFacts(node);
  if (node.mode === 'twoGateway') return twoGatewayFacts(node);
  return [
    [t('dashboard.cluster.role'), role('master')],
    [t('dashboard.cluster.election'), election('static')],
  ];
}

/** One row of the nodes' table: this agent, a peer or a witness, each said as this node knows it. */
interface NodeRow {
  readonly name: string;
  readonly role: HTMLElement;
  readonly term: string;
  readonly health: HTMLElement;
  readonly lastSeen: string;
  readonly addresses: string;
}

const NO_VALUE = '–';
const lastSeen = (at: number | null) => (at === null ? t('dashboard.cluster.never') : formatTime(at));
const peerRole = (name: 'master' | 'standby' | 'unknown') =>
  name === 'unknown' ? badge(t('dashboard.cluster.roles.unknown'), 'muted') : role(name);
const term = (value: string | null, since: number | null) =>
  value === null
    ? NO_VALUE
    : since === null
      ? t('dashboard.cluster.term', { term: value })
      : t('dashboard.cluster.termSince', { term: value, since: formatTime(since) });
const health = (healthy: boolean | null, unhealthy: string, unknown = t('dashboard.cluster.unknown')) =>
  healthy === null
    ? badge(unknown, 'muted')
    : healthy
      ? badge(t('dashboard.cluster.healthy'), 'ok')
      : badge(unhealthy, 'bad');

function etcdRows(node: EtcdNodeStatus): NodeRow[] {
  const ownTerm = node.role === 'master' && node.leader?.nodeId === node.nodeId ? node.leader : null;
  return [
    {
      name: t('dashboard.cluster.thisAgent', { node: node.nodeId }),
      role: role(node.role),
      term: term(ownTerm?.term ?? null, ownTerm?.since ?? null),
      health: health(node.witness.etcdReachable ? true : null, ''),
      lastSeen: t('dashboard.cluster.now'),
      addresses: NO_VALUE,
    },
    ...node.peers.map((p) => ({
      name: p.id,
      role: peerRole(p.role),
      term: term(p.term, p.since),
      health: health(p.healthy, t('dashboard.cluster.unhealthy')),
      lastSeen: lastSeen(p.lastSeenAt),
      addresses: p.addresses.length === 0 ? t('dashboard.cluster.noAddress') : p.addresses.join(', '),
    })),
    ...node.witnesses.map((w) => ({
      name: w.name ?? w.endpoint,
      role: badge(t('dashboard.cluster.roles.witness'), 'muted'),
      term: NO_VALUE,
      health: health(w.healthy, t('dashboard.cluster.memberSilent')),
      lastSeen: lastSeen(w.lastSeenAt),
      addresses: w.endpoint,
    })),
  ];
}

function twoGatewayRows(node: TwoGatewayNodeStatus): NodeRow[] {
  const { peer } = node;
  return [
    {
      name: t('dashboard.cluster.thisAgent', { node: node.nodeId }),
      role: role(node.mayExceedFailSafe ? 'master' : 'standby'),
      term: NO_VALUE,
      health: health(true, ''),
      lastSeen: t('dashboard.cluster.now'),
      addresses: NO_VALUE,
    },
    {
      name: peer.id,
      role: peerRole(peer.role),
      term: NO_VALUE,
      health: health(peer.reachable, t('dashboard.cluster.unreachable'), t('dashboard.cluster.notDialled')),
      lastSeen: lastSeen(peer.lastSeenAt),
      addresses: NO_VALUE,
    },
  ];
}

/**
 * Every node of the cluster, this one first: its role, the master's term and since when, health and last seen, and on
 * etcd the witness (an etcd member that runs no agent); a single agent says why it lists none.
 */
export function clusterPeers(node: ClusterNodeStatus): HTMLElement {
  if (node.mode === 'single')
    return el('p', { class: 'muted', 'data-testid': 'no-peers' }, t('dashboard.cluster.single'));
  return dataTable({
    caption: t('dashboard.cluster.peersCaption'),
    rows: node.mode === 'etcd' ? etcdRows(node) : twoGatewayRows(node),
    columns: [
      { header: t('dashboard.cluster.node'), cell: (r) => r.name },
      { header: t('dashboard.cluster.role'), cell: (r) => r.role },
      { header: t('dashboard.cluster.termColumn'), cell: (r) => r.term },
      { header: t('dashboard.cluster.health'), cell: (r) => r.health },
      { header: t('dashboard.cluster.lastSeen'), cell: (r) => r.lastSeen },
      { header: t('dashboard.cluster.address'), cell: (r) => r.addresses },
    ],
  });
}
