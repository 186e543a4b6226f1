/**
 * Site events as the agent's own builders make them (the OCPP layer's charger events and the control loop's events
 * through the classes that queue them for the cloud), for tests that need what a real agent sends without running one.
 */
import type { ControlEvent } from '../../edge/control/control-events';
import type { ChargerEvent } from '../../edge/ocpp/charger-events';
import { ChargerLifecycleEvents } from '../../edge/sync/charger-lifecycle-events';
import { ControlOutboxObserver } from '../../edge/sync/control-outbox-observer';
import { SiteSchema } from '../../shared/site/site-schema';
import type { EventBody } from '../../shared/sync/sync-messages';
import { ManualClock } from '../../sim/charger/sim-clock';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An outbox that keeps the event bodies it is given. */
export function collectingOutbox(): {
  bodies: EventBody[];
  enqueue(stream: string, body: unknown): { ok: true; messageId: string };
} {
  const bodies: EventBody[] = [];
  return {
    bodies,
    enqueue: (_stream, body) => {
      bodies.push(body as EventBody);
      return { ok: true, messageId: `m${bodies.length}` };
    },
  };
}

/** The bodies ChargerLifecycleEvents sends for `events` (no coalescing: the burst takes them all). */
export function chargerEventBodies(events: readonly ChargerEvent[]): EventBody[] {
  const outbox = collectingOutbox();
  const lifecycle = new ChargerLifecycleEvents(outbox, {
    clock: new ManualClock(),
    log: quiet,
    burst: 1000,
    windowMs: 60_000,
  });
  for (const event of events) lifecycle.onEvent(event);
  return outbox.bodies;
}

/** The event bodies ControlOutboxObserver sends for `events` (a one-circuit site; telemetry left out). */
export function controlEventBodies(events: readonly ControlEvent[]): EventBody[] {
  const outbox = collectingOutbox();
  const site = SiteSchema.parse({
    $schemaVersion: 1,
    id: 's',
    circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
    chargers: [],
  });
  const observer = new ControlOutboxObserver(outbox, {
    site: () => site,
    telemetryIntervalMs: 10_000,
    openSessions: () => [],
    log: quiet,
  });
  for (const event of events) observer.onControlEvent(event);
  return outbox.bodies;
}
