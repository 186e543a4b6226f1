/** A site version put in force, as the dashboard's event line and the cloud event (through the outbox) that report it. */
import type { EventEntry } from '../../../shared/dashboard/api-answers';
import type { EventBody } from '../../../shared/sync/sync-messages';
import type { MessageParamRef, MessageParams } from '../../../shared/server-messages';
import { eventSaid } from '../../../shared/sync/event-reasons';
import type { SiteVersionInForce } from '../../store/site-version-store';
import { eventLine } from '../live/event-line';

const SITE_SETUP = { reason: 'event.source.siteSetup' } as const;

export interface SiteChangeSinks {
  readonly log: { info(data: object, message: string): void; warn(data: object, message: string): void };
  /** The dashboard's event list. */
  addEvent(entry: EventEntry): void;
  /** The cloud's events, when the agent has a cloud link. */
  readonly outbox?: { enqueue(stream: 'events', body: EventBody, at?: number): { readonly ok: boolean } };
}

/** What changed between two versions (`chargers added: 1; circuits changed: 2`), as messages of the event table. */
export function siteChanges(version: SiteVersionInForce, previous: SiteVersionInForce): MessageParamRef[] {
  const ids = (items: readonly { id: string }[]) => new Map(items.map((i) => [i.id, JSON.stringify(i)]));
  const meterIds = (items: readonly { meterId: string }[]) => new Map(items.map((m) => [m.meterId, JSON.stringify(m)]));
  const changes: MessageParamRef[] = [];
  for (const [items, before, after] of [
    ['chargers', ids(previous.site.chargers), ids(version.site.chargers)],
    ['circuits', ids(previous.site.circuits), ids(version.site.circuits)],
    ['meters', meterIds(previous.meters), meterIds(version.meters)],
  ] as const) {
    const counts = {
      siteItemsAdded: [...after.keys()].filter((id) => !before.has(id)).length,
      siteItemsRemoved: [...before.keys()].filter((id) => !after.has(id)).length,
      siteItemsChanged: [...after].filter(([id, text]) => before.has(id) && before.get(id) !== text).length,
    };
    for (const [change, count] of Object.entries(counts) as [keyof typeof counts, number][])
      if (count > 0)
        changes.push({ ref: `event.${change}`, params: { items: { ref: `event.siteItems.${items}` }, count } });
  }
  return changes.length > 0 ? changes : [{ ref: 'event.siteUnchanged' }];
}

/** The version put in force, said with a stable reason: the event line and the cloud event say the same. */
export function siteChangedMessage(
  version: SiteVersionInForce,
  previous: SiteVersionInForce,
): { readonly reason: 'event.siteChanged'; readonly params: MessageParams } {
  return {
    reason: 'event.siteChanged',
    params: {
      version: version.version,
      source: { ref: `event.siteSource.${version.source}` },
      author: version.author.slice(0, 200),
      changes: siteChanges(version, previous),
    },
  };
}

export function siteChangeEventBody(version: SiteVersionInForce, previous: SiteVersionInForce): EventBody {
  return {
    ...eventSaid('site.changed', 'event.siteChanged', siteChangedMessage(version, previous).params),
    severity: 'info',
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
    sinks.addEvent(eventLine(version.savedAt, 'info', SITE_SETUP, siteChangedMessage(version, previous)));
    try {
      if (sinks.outbox?.enqueue('events', body, version.savedAt).ok === false)
        sinks.log.warn({ version: version.version }, 'site change event not queued for the cloud');
    } catch (error) {
      sinks.log.warn({ err: error, version: version.version }, 'site change event not queued for the cloud');
    }
  };
}
