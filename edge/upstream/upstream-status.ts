/**
 * What the dashboard and the fleet see of the links to the CSMS: per charger (state, backlog, provisional ids,
 * messages set aside, meter values thinned), and the site's CSMS link health as one telemetry figure.
 */
import { MAX_LISTED_MAPPINGS, type UpstreamCharger } from '../../shared/dashboard/upstream-answer';
import type { CsmsLinkHealth } from '../../shared/sync/sync-messages';
import type { SqliteUpstreamForwardLog } from '../store/upstream-forward-log';
import type { SqliteUpstreamSetAside } from '../store/upstream-set-aside-store';
import type { UpstreamLinkState } from './upstream-link-states';

export interface UpstreamStatusSources {
  linkState(chargerId: string): UpstreamLinkState | undefined;
  /** Whether the charger is connected to the agent (its link may be open without it, to deliver its backlog). */
  chargerPresent(chargerId: string): boolean;
  readonly log: Pick<SqliteUpstreamForwardLog, 'backlog' | 'mappings' | 'thinned'>;
  readonly setAside: Pick<SqliteUpstreamSetAside, 'setAsideCount'>;
}

/** One charger's upstream state. */
export function upstreamCharger(sources: UpstreamStatusSources, chargerId: string): UpstreamCharger {
  const link = sources.linkState(chargerId);
  const backlog = sources.log.backlog(chargerId);
  return {
    chargerId,
    connected: link?.connected ?? false,
    chargerConnected: sources.chargerPresent(chargerId),
    since: link?.since ?? null,
    backlogMessages: backlog.messages,
    oldestQueuedAt: backlog.oldestAt ?? null,
    mappings: sources.log
      .mappings(chargerId)
      .slice(0, MAX_LISTED_MAPPINGS)
      .map((m) => ({ provisionalId: m.provisionalId, realId: m.realId ?? null })),
    setAside: sources.setAside.setAsideCount(chargerId),
    thinnedMeterValues: sources.log.thinned(chargerId),
  };
}

/**
 * The site's links to its CSMS in one figure for the cloud: how many chargers are linked (connected, with their link
 * open), and what waits for the CSMS.
 */
export function csmsLinkHealth(sources: UpstreamStatusSources, chargerIds: readonly string[]): CsmsLinkHealth {
  let connected = 0;
  let backlogMessages = 0;
  let oldestQueuedAt: number | undefined;
  let setAside = 0;
  for (const id of chargerIds) {
    // A link kept only to deliver a backlog links no charger: the charger is offline.
    if (sources.linkState(id)?.connected && sources.chargerPresent(id)) connected++;
    const backlog = sources.log.backlog(id);
    backlogMessages += backlog.messages;
    if (backlog.oldestAt !== undefined) oldestQueuedAt = Math.min(oldestQueuedAt ?? backlog.oldestAt, backlog.oldestAt);
    const aside = sources.setAside.setAsideCount(id);
    setAside += aside.refused + aside.unmapped;
  }
  return {
    chargers: chargerIds.length,
    connected,
    backlogMessages,
    setAside,
    ...(oldestQueuedAt !== undefined && { oldestQueuedAt }),
  };
}
