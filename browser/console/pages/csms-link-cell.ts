/** The sites list's CSMS link cell: for a site in front of an operator's CSMS, its chargers' links and its backlog. */
import { badge } from '../../ui/badges';
import { el } from '../../ui/element';
import { formatNumber } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import type { SiteStatus } from '../site-status';

function age(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes < 120
    ? t('console.list.minutes', { count: minutes })
    : t('console.list.hours', { count: Math.floor(minutes / 60) });
}

export function csmsLinkCell(status: SiteStatus | Error | undefined, now: number): Node | string {
  if (status === undefined || status instanceof Error) return '–';
  const csms = status.latest?.csms;
  if (csms === undefined || csms === null) return el('span', { class: 'muted' }, t('console.list.noCsms'));
  const tone = csms.connected === csms.chargers ? 'ok' : csms.connected === 0 ? 'bad' : 'warn';
  const queued =
    csms.backlogMessages === 0
      ? t('console.list.nothingQueued')
      : `${t('console.list.queued', { count: csms.backlogMessages })}${csms.oldestQueuedAt === undefined ? '' : t('console.list.oldest', { age: age(now - csms.oldestQueuedAt) })}`;
  const aside = csms.setAside > 0 ? t('console.list.setAside', { count: csms.setAside }) : '';
  return el(
    'span',
    { class: 'csms-link' },
    badge(
      t('console.list.linked', { connected: formatNumber(csms.connected), total: formatNumber(csms.chargers) }),
      tone,
    ),
    ` ${queued}${aside}`,
  );
}
