/** A site's chargers with what is known of their state, its charging sessions and its events. */
import { formatConnectorRef } from '../../../shared/site/connector-ref';
import type { Site } from '../../../shared/site/site-schema';
import type { SiteEventView, SiteSession } from '../api-schemas';
import { badge, formatTime, severityBadge } from '../../ui/badges';
import { dataTable } from '../../ui/data-table';
import { el } from '../../ui/element';

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
  if (row.fault) return el('span', {}, badge('fault', 'bad'), ` ${row.fault.message}`);
  if (row.offline) return el('span', {}, badge('offline', 'warn'), ` since ${formatTime(row.offline.at)}`);
  if (row.session) return el('span', {}, badge('charging', 'ok'), ` since ${formatTime(row.session.startedAt)}`);
  return badge('no session', 'muted');
}

export function chargersTable(
  site: Site,
  sessions: readonly SiteSession[],
  events: readonly SiteEventView[],
): HTMLElement {
  return dataTable({
    caption: `${site.chargers.length} chargers`,
    testId: 'chargers-table',
    rows: connectorRows(site, sessions, events),
    columns: [
      { header: 'Charger', cell: (r) => r.chargerId },
      { header: 'Connector', cell: (r) => r.connectorId, numeric: true },
      { header: 'Model', cell: (r) => r.model },
      { header: 'Phases', cell: (r) => r.phases, numeric: true },
      { header: 'Max A', cell: (r) => r.maxAmps, numeric: true },
      { header: 'State', cell: stateCell },
    ],
  });
}

/** A time as shown, with the instant (as in the CSV export) in `datetime`. */
const timeOf = (at: number) => el('time', { datetime: new Date(at).toISOString() }, formatTime(at));

export function sessionsTable(sessions: readonly SiteSession[]): HTMLElement {
  return dataTable({
    caption: 'Charging sessions (last 24 h)',
    testId: 'sessions-table',
    rows: sessions,
    empty: 'No sessions in the last 24 hours.',
    columns: [
      { header: 'Connector', cell: (s) => s.connector },
      { header: 'Id tag', cell: (s) => s.idTag ?? '–' },
      { header: 'Started', cell: (s) => timeOf(s.startedAt) },
      {
        header: 'Stopped',
        cell: (s) => (s.stoppedAt === undefined ? badge('charging', 'ok') : timeOf(s.stoppedAt)),
      },
      { header: 'Energy kWh', cell: (s) => (s.energyWh / 1000).toFixed(2), numeric: true },
    ],
  });
}

export function eventsTable(events: readonly SiteEventView[]): HTMLElement {
  return dataTable({
    caption: 'Events (last 24 h)',
    testId: 'events-table',
    rows: events,
    empty: 'No events in the last 24 hours.',
    columns: [
      { header: 'Time', cell: (e) => formatTime(e.at) },
      { header: 'Severity', cell: (e) => severityBadge(e.severity) },
      { header: 'Type', cell: (e) => e.type },
      { header: 'Message', cell: (e) => e.message },
    ],
  });
}
