/**
 * What a charger said, turned into updates of the loop's state: its link, statuses, sessions and measurements in the
 * site runtime, its idle holds, its boot readiness and adopted connectors, and whether a round should follow. Its own
 * file so the loop (load-controller.ts) keeps only the coordination of rounds and timers.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import type { BootReadiness } from './boot-readiness';
import type { ConnectorAdoption } from './connector-adoption';
import type { ChargerInput } from './control-inputs';
import type { IdleHolds } from './idle-holds';
import type { LeaseDispatcher } from './lease-dispatcher';
import type { SessionEvents } from './session-events';
import type { SiteRuntime } from './site-runtime';

/** The loop's parts a charger's input updates. */
export interface ChargerInputTargets {
  readonly runtime: SiteRuntime;
  readonly dispatcher: LeaseDispatcher;
  readonly holds: IdleHolds;
  readonly readiness: BootReadiness;
  readonly adoption: ConnectorAdoption;
  readonly sessionEvents: SessionEvents;
  readonly policy: () => Policy;
  /** Asks for a round after the debounce. */
  readonly request: () => void;
}

/** Takes what a charger said (the OCPP layer's events, adapted). */
export function applyChargerInput(event: ChargerInput, targets: ChargerInputTargets): void {
  if (!targets.runtime.has(event.chargerId)) return;
  const { runtime } = targets;
  switch (event.type) {
    case 'connected':
      targets.dispatcher.reconnected(event.chargerId);
      targets.holds.connected(event.chargerId);
      if (runtime.setLink(event.chargerId, 'online')) targets.request();
      return;
    case 'disconnected':
      if (runtime.setLink(event.chargerId, 'offline')) targets.request();
      return;
    case 'booted':
      // A charger that rebooted may have lost its profiles (a new one has none): see SiteRuntime.booted.
      if (event.triggered) return;
      runtime.booted(event.chargerId);
      targets.holds.lost(event.chargerId);
      targets.readiness.booted(event.chargerId);
      targets.request();
      return;
    case 'configured':
      runtime.setFailSafeInstalled(event.chargerId, event.failSafeInstalled);
      targets.readiness.configured(event.chargerId);
      targets.adoption.setReportedConnectors(event.chargerId, event.capabilities.numberOfConnectors);
      targets.request();
      return;
    case 'status':
      if (event.connectorId > 0) targets.adoption.ensure(event.chargerId, event.connectorId, 'status', event.at);
      if (runtime.setStatus(event.chargerId, event.connectorId, event.status)) targets.request();
      return;
    case 'transactionStarted':
      targets.holds.noteClock(event.chargerId, event.startedAt);
      targets.sessionEvents.started(event);
      return;
    case 'transactionStopped':
      targets.sessionEvents.stopped(event);
      return;
    case 'meterValues': {
      targets.holds.noteClock(event.chargerId, event.sampledAt);
      const session = event.transactionId === undefined ? undefined : runtime.session(event.transactionId);
      const connectorId = session?.connectorId ?? event.connectorId;
      const measured = event.sample.measurement && { amps: event.sample.measurement.amps, at: event.at };
      const energy =
        event.sample.energyWh === undefined ? undefined : { registerWh: event.sample.energyWh, at: event.sampledAt.at };
      const useful = runtime.recordMeasurement(event.chargerId, connectorId, measured, energy);
      const policy = targets.policy();
      if (useful && (policy.closedLoop.enabled || policy.control.mode === 'dynamic')) targets.request();
      return;
    }
    default:
      return;
  }
}
