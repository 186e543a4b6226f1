/**
 * Site batches as a gateway's outbox publishes them (shared/sync/sync-messages.ts): telemetry samples, session starts
 * and stops, charger status events (with their reasons); each batch is checked against `SiteBatchSchema` so the bench never measures refusals.
 */
import { eventSaid } from '../shared/sync/event-reasons';
import { SiteBatchSchema, type SiteBatch, type SiteMessage } from '../shared/sync/sync-messages';
import { gatewayStreamTopic, type SiteStream } from '../shared/sync/sync-topics';

export interface PublishedBatch {
  readonly thingName: string;
  readonly topic: string;
  readonly stream: SiteStream;
  /** The MQTT payload: the batch as JSON bytes. */
  readonly payload: Uint8Array;
  readonly messages: number;
}

const STATUSES = ['Charging', 'SuspendedEV', 'SuspendedEVSE', 'Available', 'Preparing'] as const;

function body(stream: SiteStream, n: number, at: number): SiteMessage['body'] {
  const chargerId = `CP-${(n % 16) + 1}`;
  if (stream === 'telemetry') {
    const ev = 10 + (n % 40);
    return {
      gridAmps: [ev + 21.3, ev + 18.9, ev + 20.4],
      evAmps: [ev, ev, ev - 0.6],
      limitAmps: [60, 60, 60],
      fuseAmps: [63, 63, 63],
      budget: { unit: 'A', value: 60 },
      meter: 'ok',
      charging: 4,
      paused: 1,
    };
  }
  if (stream === 'sessions') {
    const started = {
      sessionId: String(100_000 + n),
      chargerId,
      connectorId: 1,
      idTag: `TAG${n % 50}`,
      startedAt: at - 3_600_000,
      energyWh: 0,
    };
    return n % 2 === 0
      ? { ...started, state: 'started' }
      : { ...started, state: 'stopped', stoppedAt: at, energyWh: 14_250 + n, stopReason: 'EVDisconnected' };
  }
  const status = STATUSES[n % STATUSES.length]!;
  // With its reason and parameters, as an agent says every event since issue 16.
  return {
    ...eventSaid('charger.status', 'siteEvent.chargerStatus', { charger: chargerId, connector: 1, status }),
    severity: 'info',
    chargerId,
    details: { connectorId: 1, status },
  };
}

/** One batch of `size` messages of `stream` from `siteId`, message ids unique per `(label, round)`. */
export function siteBatch(
  siteId: string,
  stream: SiteStream,
  size: number,
  label: string,
  round: number,
  startAt: number,
): PublishedBatch {
  const messages = Array.from({ length: size }, (_, i) => {
    const n = round * size + i;
    const at = startAt + n * 10_000;
    return { messageId: `${label}-${siteId}-${stream}-${n}`, siteId, stream, at, body: body(stream, n, at) };
  });
  const batch: SiteBatch = SiteBatchSchema.parse({ v: 1, messages });
  return {
    thingName: thingNameOf(siteId),
    topic: gatewayStreamTopic(thingNameOf(siteId), stream),
    stream,
    payload: new TextEncoder().encode(JSON.stringify(batch)),
    messages: size,
  };
}

/** The gateway thing that publishes for a site. */
export const thingNameOf = (siteId: string) => `amp-${siteId}`;
