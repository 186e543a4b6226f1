/**
 * Network management: this gateway's addresses and, on a cluster node, the virtual address (held here or not), the
 * peers with whether each is reachable now, etcd's members and keepalived's state. Read only; read again while open
 * (the agent dials the peers and etcd when asked, so there is no live topic).
 */
import { badge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { type ClusterNetwork, NetworkAnswerSchema, type NetworkAnswer } from '../../../shared/dashboard/network-answer';
import type { Page, PageContext } from '../page-context';
import { factsList } from './facts-list';

/** A read dials every peer (at most 1 s each, in parallel) and every etcd member: every 5 s is enough for a person. */
const REFRESH_MS = 5_000;

const yesNo = (ok: boolean | null, yes: string, no: string) =>
  ok === null ? badge(t('dashboard.network.unknown'), 'muted') : ok ? badge(yes, 'ok') : badge(no, 'bad');

function interfacesCard(answer: NetworkAnswer): HTMLElement {
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'interfaces-heading' },
    el('h2', { id: 'interfaces-heading' }, t('dashboard.network.thisGateway')),
    dataTable({
      caption: t('dashboard.network.interfacesCaption'),
      rows: answer.interfaces,
      columns: [
        { header: t('dashboard.network.interface'), cell: (i) => i.name },
        { header: t('dashboard.network.address'), cell: (i) => i.address },
        { header: t('dashboard.network.family'), cell: (i) => i.family },
      ],
    }),
  );
}

function clusterCard(cluster: ClusterNetwork): HTMLElement {
  const vip = cluster.virtualAddress;
  const keepalived = cluster.keepalived;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'cluster-network-heading' },
    el('h2', { id: 'cluster-network-heading' }, t('dashboard.network.cluster')),
    factsList(
      [
        [
          t('dashboard.network.virtualAddress'),
          vip === null
            ? t('dashboard.network.notConfigured')
            : el(
                'span',
                {},
                `${vip.address} `,
                yesNo(vip.held, t('dashboard.network.held'), t('dashboard.network.notHeld')),
              ),
        ],
        [
          t('dashboard.network.keepalived'),
          keepalived === null
            ? t('dashboard.network.notReadable')
            : t('dashboard.network.keepalivedState', { state: keepalived.state, since: formatTime(keepalived.since) }),
        ],
      ],
      'network-facts',
    ),
    dataTable({
      caption: t('dashboard.network.peersCaption'),
      rows: cluster.peers,
      columns: [
        { header: t('dashboard.network.node'), cell: (p) => p.id },
        {
          header: t('dashboard.network.addresses'),
          cell: (p) => (p.addresses.length === 0 ? t('dashboard.network.noAddress') : p.addresses.join(', ')),
        },
        {
          header: t('dashboard.network.inEtcd'),
          cell: (p) => yesNo(p.present, t('dashboard.network.present'), t('dashboard.network.absent')),
        },
        {
          header: t('dashboard.network.reachable'),
          cell: (p) =>
            p.reachable === true
              ? badge(t('dashboard.network.reachedAt', { at: p.reachedAt ?? '' }), 'ok')
              : yesNo(p.reachable, '', t('dashboard.network.unreachable')),
        },
      ],
    }),
    cluster.etcdMembers.length === 0
      ? el('p', { class: 'muted' }, t('dashboard.network.noEtcd'))
      : dataTable({
          caption: t('dashboard.network.etcdCaption'),
          rows: cluster.etcdMembers,
          columns: [
            { header: t('dashboard.network.endpoint'), cell: (m) => m.endpoint },
            { header: t('dashboard.network.memberName'), cell: (m) => m.name ?? '' },
            {
              header: t('dashboard.network.health'),
              cell: (m) => yesNo(m.healthy, t('dashboard.network.answers'), t('dashboard.network.silent')),
            },
            {
              header: t('dashboard.network.raftLeader'),
              cell: (m) => (m.raftLeader === true ? t('dashboard.network.yes') : ''),
            },
            { header: t('dashboard.network.version'), cell: (m) => m.version ?? '' },
          ],
        }),
  );
}

export function networkPage(ctx: PageContext): Page {
  const holder = el('div', {}, t('common.loading'));
  const status = liveRegion();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let open = true;
  const refresh = () =>
    ctx.api
      .get('/network', NetworkAnswerSchema)
      .then(
        (answer) => {
          status.say('');
          replaceChildren(
            holder,
            interfacesCard(answer),
            answer.cluster === null
              ? el('p', { class: 'muted', 'data-testid': 'no-cluster' }, t('dashboard.network.single'))
              : clusterCard(answer.cluster),
          );
        },
        (error: unknown) => status.say(t('dashboard.network.cannotRead', { error: describeError(error) }), 'error'),
      )
      .finally(() => {
        if (open) timer = setTimeout(() => void refresh(), REFRESH_MS);
      });
  void refresh();
  return {
    title: t('dashboard.sections.network'),
    node: el('div', {}, status.node, holder),
    dispose: () => {
      open = false;
      clearTimeout(timer);
    },
  };
}
