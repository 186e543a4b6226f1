/** Hands each control event to every observer (the caller's, the dashboard feed, the cloud outbox). */
import type { ControlObserver } from './control-ports';

/** One observer that calls each of `observers` in order; an absent one (no cloud link) is skipped. */
export function observeAll(observers: readonly (ControlObserver | undefined)[]): ControlObserver {
  const present = observers.filter((observer) => observer !== undefined);
  return {
    onControlEvent(event) {
      for (const observer of present) observer.onControlEvent(event);
    },
  };
}
