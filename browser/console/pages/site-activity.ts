/** A site's chargers with what is known of their state, its charging sessions and its events. */
import { formatConnectorRef } from '../../../shared/site/connector-ref';
import type { Site } from '../../../shared/site/site-schema';
import type { SiteEventView, SiteSession } from '../api-schemas';
import { badge, severityBadge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el } from '../../ui/element';
import { formatNumber, formatTime } from '../../ui/i18n/format';
import { t, tIfKnown } from '../../ui/i18n/i18n';
import { saidText, untranslated } from '../../ui/i18n/untranslated';

interface ConnectorRow {
  readonly chargerId: string;
  readonly connectorId: number;
  readonly model: string;
  readonly phases: number;
  readonly maxAmps: number;
  readonly session: SiteSession | undefined;
  readonly fault: SiteEventView | undefined;
  /** The charger's latest disconnect, unless it connected again since. */
  readonly offline: SiteEventView | undefined;
}

/**
 * The API has no live connector status yet: a connector is "charging" while it has an open session, faulted while
 * its latest error event (for it or its whole charger) has no `charger.recovered` after it, and offline while its
 * charger's latest connect or disconnect event is a disconnect. Events come newest first.
 */
function connectorRows(site: Site, sessions: readonly SiteSession[], events: readonly SiteEventView[]): ConnectorRow[] {
  return site.chargers.flatMap((charger) =>
    charger.connectors.map((connector) => ({
      chargerId: charger.id,
      connectorId: connector.id,
      model: [charger.vendor, charger.model].filter(Boolean).join(' ') || '–',
      phases: charger.phases,
      maxAmps: Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps),
      session: sessions.find(
        (s) => s.connector === formatConnectorRef(charger.id, connector.id) && s.stoppedAt === undefined,
      ),
      fault: latestOf(
        events,
        charger.id,
        (e) =>
          (e.data?.connectorId === undefined || e.data.connectorId === connector.id) &&
          (e.severity === 'error' || e.type === 'charger.recovered'),
        'charger.recovered',
      ),
      offline: latestOf(
        events,
        charger.id,
        (e) => e.type === 'charger.connected' || e.type === 'charger.disconnected',
        'charger.connected',
      ),
    })),
  );
}

/** The charger's newest event that `matches`, unless it is of the `clearing` type. */
function latestOf(
  events: readonly SiteEventView[],
  chargerId: string,
  matches: (e: SiteEventView) => boolean,
  clearing: string,
): SiteEventView | undefined {
  const latest = events.find((e) => e.data?.chargerId === chargerId && matches(e));
  return latest?.type === clearing ? undefined : latest;
}

function stateCell(row: ConnectorRow): Node {
  if (row.fault) return el('span', {}, badge(t('console.site.fault'), 'bad'), ' ', saidText(row.fault));
  if (row.offline)
    return el(
      'span',
      {},
      badge(t('console.site.offline'), 'warn'),
      t('console.site.since', { time: formatTime(row.offline.at) }),
    );
  if (row.session)
    return el(
      'span',
      {},
      badge(t('console.site.charging'), 'ok'),
      t('console.site.since', { time: formatTime(row.session.startedAt) }),
    );
  return badge(t('console.site.noSession'), 'muted');
}

export function chargersTable(
  site: Site,
  sessions: readonly SiteSession[],
  events: readonly SiteEventView[],
): HTMLElement {
  return dataTable({
    caption: t('console.site.chargersCaption', { count: site.chargers.length }),
    testId: 'chargers-table',
    rows: connectorRows(site, sessions, events),
    columns: [
      { header: t('console.site.charger'), cell: (r) => r.chargerId },
      { header: t('console.site.connector'), cell: (r) => r.connectorId, numeric: true },
      { header: t('console.site.model'), cell: (r) => r.model },
      { header: t('console.site.phases'), cell: (r) => r.phases, numeric: true },
      { header: t('console.site.maxAmps'), cell: (r) => formatNumber(r.maxAmps), numeric: true },
      { header: t('console.site.state'), cell: stateCell },
    ],
  });
}

/** A time as shown, with the instant (as in the CSV export) in `datetime`. */
const timeOf = (at: number) => el('time', { datetime: new Date(at).toISOString() }, formatTime(at));

export function sessionsTable(sessions: readonly SiteSession[]): HTMLElement {
  return dataTable({
    caption: t('console.site.sessionsCaption'),
    testId: 'sessions-table',
    rows: sessions,
    empty: t('console.site.noSessions'),
    columns: [
      { header: t('console.site.connector'), cell: (s) => s.connector },
      { header: t('console.site.idTag'), cell: (s) => s.idTag ?? '–' },
      { header: t('console.site.started'), cell: (s) => timeOf(s.startedAt) },
      {
        header: t('console.site.stopped'),
        cell: (s) => (s.stoppedAt === undefined ? badge(t('console.site.charging'), 'ok') : timeOf(s.stoppedAt)),
      },
      { header: t('console.site.energy'), cell: (s) => formatNumber(s.energyWh / 1000, 2), numeric: true },
    ],
  });
}

/** A site event's type by its label in the page's language; a type without one (yet) as the agent named it. */
export function eventKindLabel(event: Pick<SiteEventView, 'type'>): HTMLElement | string {
  return tIfKnown(`console.eventKind.${event.type}`) ?? untranslated(event.type);
}

export function eventsTable(events: readonly SiteEventView[]): HTMLElement {
  return dataTable({
    caption: t('console.site.eventsCaption'),
    testId: 'events-table',
    rows: events,
    empty: t('console.site.noEvents'),
    columns: [
      { header: t('console.site.time'), cell: (e) => formatTime(e.at) },
      { header: t('console.site.severity'), cell: (e) => severityBadge(e.severity) },
      { header: t('console.site.type'), cell: eventKindLabel },
      { header: t('console.site.message'), cell: (e) => saidText(e) },
    ],
  });
}
