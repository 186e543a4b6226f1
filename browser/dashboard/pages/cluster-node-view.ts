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

/** The other nodes as etcd shows them; a single agent or a two-gateway node (no etcd) says why it lists none. */
export function clusterPeers(node: ClusterNodeStatus): HTMLElement {
  if (node.mode !== 'etcd')
    return el(
      'p',
      { class: 'muted', 'data-testid': 'no-peers' },
      t(node.mode === 'single' ? 'dashboard.cluster.single' : 'dashboard.cluster.twoGatewayMode'),
    );
  return dataTable({
    caption: t('dashboard.cluster.peersCaption'),
    rows: node.peers,
    columns: [
      { header: t('dashboard.cluster.agent'), cell: (p) => p.id },
      {
        header: t('dashboard.cluster.address'),
        cell: (p) => (p.addresses.length === 0 ? t('dashboard.cluster.noAddress') : p.addresses.join(', ')),
      },
      {
        header: t('dashboard.cluster.health'),
        cell: (p) =>
          p.healthy === null
            ? badge(t('dashboard.cluster.unknown'), 'muted')
            : p.healthy
              ? badge(t('dashboard.cluster.healthy'), 'ok')
              : badge(t('dashboard.cluster.unhealthy'), 'bad'),
      },
      {
        header: t('dashboard.cluster.lastSeen'),
        cell: (p) => (p.lastSeenAt === null ? t('dashboard.cluster.never') : formatTime(p.lastSeenAt)),
      },
    ],
  });
}
