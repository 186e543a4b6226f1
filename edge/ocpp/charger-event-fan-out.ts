/** Hands each charger event to every part that listens (the control loop, the dashboard feed, the cloud, the store). */
import type { ChargerEventListener } from './central-system-ports';

/** One listener for the central system that calls each of `listeners` in order; an absent one (no cloud link) is skipped. */
export function chargerEventsTo(listeners: readonly (ChargerEventListener | undefined)[]): ChargerEventListener {
  const present = listeners.filter((listener) => listener !== undefined);
  return {
    onEvent(event) {
      for (const listener of present) listener.onEvent(event);
    },
  };
}
