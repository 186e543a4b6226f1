/** The sites list's CSMS link cell: for a site in front of an operator's CSMS, its chargers' links and its backlog. */
import { badge } from '../../ui/badges';
import { el } from '../../ui/element';
import type { SiteStatus } from '../site-status';

function age(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`;
}

export function csmsLinkCell(status: SiteStatus | Error | undefined, now: number): Node | string {
  if (status === undefined || status instanceof Error) return '–';
  const csms = status.latest?.csms;
  if (csms === undefined || csms === null) return el('span', { class: 'muted' }, 'no operator CSMS');
  const tone = csms.connected === csms.chargers ? 'ok' : csms.connected === 0 ? 'bad' : 'warn';
  const queued =
    csms.backlogMessages === 0
      ? 'nothing queued'
      : `${csms.backlogMessages} queued${csms.oldestQueuedAt === undefined ? '' : `, oldest ${age(now - csms.oldestQueuedAt)}`}`;
  const aside = csms.setAside > 0 ? ` · ${csms.setAside} set aside` : '';
  return el(
    'span',
    { class: 'csms-link' },
    badge(`${csms.connected} / ${csms.chargers} linked`, tone),
    ` ${queued}${aside}`,
  );
}
