/** The control loop's side of the charger events: passes on the ones control acts on, as its own inputs. */
import type { ChargerInput } from '../control/control-inputs';
import type { ChargerEventListener } from './central-system-ports';
import type { ChargerEvent } from './charger-events';

/** What takes the inputs (the LoadController). */
export interface ChargerInputSink {
  onChargerInput(input: ChargerInput): void;
}

/** The control input an event is, or undefined for one that does not concern control (heartbeats, vendor data). */
export function controlInput(event: ChargerEvent): ChargerInput | undefined {
  switch (event.type) {
    case 'booted':
      // A boot held Pending configures nothing: the charger is not part of the site yet.
      return event.registration === 'Accepted'
        ? { type: 'booted', chargerId: event.chargerId, at: event.at, triggered: event.triggered }
        : undefined;
    case 'connected':
    case 'disconnected':
    case 'configured':
    case 'status':
    case 'transactionStarted':
    case 'transactionStopped':
    case 'meterValues':
      return event;
    default:
      return undefined;
  }
}

/** A listener for the central system's events that feeds `sink` the ones control acts on. */
export function feedControl(sink: ChargerInputSink): ChargerEventListener {
  return {
    onEvent(event) {
      const input = controlInput(event);
      if (input !== undefined) sink.onChargerInput(input);
    },
  };
}
