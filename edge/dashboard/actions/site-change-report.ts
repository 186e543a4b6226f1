/** A site version put in force, as the dashboard's event line and the cloud event (through the outbox) that report it. */
import type { EventEntry } from '../../../shared/dashboard/api-answers';
import type { EventBody } from '../../../shared/sync/sync-messages';
import type { SiteVersionInForce } from '../../store/site-version-store';

export interface SiteChangeSinks {
  readonly log: { info(data: object, message: string): void; warn(data: object, message: string): void };
  /** The dashboard's event list. */
  addEvent(entry: EventEntry): void;
  /** The cloud's events, when the agent has a cloud link. */
  readonly outbox?: { enqueue(stream: 'events', body: EventBody, at?: number): { readonly ok: boolean } };
}

/** What changed between two versions, in words: `+1 charger, 2 circuits changed, 1 meter changed`. */
export function siteChangeSummary(version: SiteVersionInForce, previous: SiteVersionInForce): string {
  const ids = (items: readonly { id: string }[]) => new Map(items.map((i) => [i.id, JSON.stringify(i)]));
  const meterIds = (items: readonly { meterId: string }[]) => new Map(items.map((m) => [m.meterId, JSON.stringify(m)]));
  const parts: string[] = [];
  for (const [what, before, after] of [
    ['charger', ids(previous.site.chargers), ids(version.site.chargers)],
    ['circuit', ids(previous.site.circuits), ids(version.site.circuits)],
    ['meter', meterIds(previous.meters), meterIds(version.meters)],
  ] as const) {
    const added = [...after.keys()].filter((id) => !before.has(id)).length;
    const removed = [...before.keys()].filter((id) => !after.has(id)).length;
    const changed = [...after].filter(([id, text]) => before.has(id) && before.get(id) !== text).length;
    if (added > 0) parts.push(`+${added} ${what}${added > 1 ? 's' : ''}`);
    if (removed > 0) parts.push(`-${removed} ${what}${removed > 1 ? 's' : ''}`);
    if (changed > 0) parts.push(`${changed} ${what}${changed > 1 ? 's' : ''} changed`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no charger, circuit or meter changed';
}

export function siteChangeEventBody(version: SiteVersionInForce, previous: SiteVersionInForce): EventBody {
  return {
    kind: 'site.changed',
    severity: 'info',
    message:
      `site version ${version.version} (${version.source}) by ${version.author}: ${siteChangeSummary(version, previous)}`.slice(
        0,
        500,
      ),
    details: {
      version: version.version,
      previousVersion: previous.version,
      source: version.source,
      author: version.author.slice(0, 200),
      chargers: version.site.chargers.length,
      circuits: version.site.circuits.length,
      meters: version.meters.length,
    },
  };
}

/** The `report` of the dashboard's site changes: log, event list and cloud; a full disk never fails the change. */
export function reportSiteChanges(
  sinks: SiteChangeSinks,
): (version: SiteVersionInForce, previous: SiteVersionInForce) => void {
  return (version, previous) => {
    const body = siteChangeEventBody(version, previous);
    sinks.log.info({ version: version.version, source: version.source, author: version.author }, body.message);
    sinks.addEvent({ at: version.savedAt, severity: 'info', source: 'site setup', message: body.message });
    try {
      if (sinks.outbox?.enqueue('events', body, version.savedAt).ok === false)
        sinks.log.warn({ version: version.version }, 'site change event not queued for the cloud');
    } catch (error) {
      sinks.log.warn({ err: error, version: version.version }, 'site change event not queued for the cloud');
    }
  };
}
