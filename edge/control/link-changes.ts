/**
 * The links a dispatch found changed (a charger that stopped answering, or answers again), put in force: set in the
 * site runtime, logged and reported. Its own file so the loop's round (load-controller.ts) reads as its steps.
 */
import type { Clock } from '../platform/clock';
import type { ControlObserver } from './control-ports';
import type { DispatchOutcome } from './lease-dispatcher';
import type { ControlLog } from './load-controller-settings';
import type { SiteRuntime } from './site-runtime';

export interface LinkChangeDeps {
  readonly runtime: SiteRuntime;
  readonly clock: Clock;
  readonly log: ControlLog;
  readonly observer: ControlObserver;
}

/** Puts a dispatch's link changes in force; true when any took (the round's input changed: one more round runs). */
export function applyLinkChanges(links: DispatchOutcome['links'], deps: LinkChangeDeps): boolean {
  let changed = false;
  for (const { chargerId, link } of links) {
    if (deps.runtime.link(chargerId) === 'offline' || !deps.runtime.setLink(chargerId, link)) continue;
    changed = true;
    const at = deps.clock.now();
    if (link === 'unresponsive') deps.log.warn({ chargerId }, 'charger unresponsive: its last limit stays reserved');
    deps.observer.onControlEvent(
      link === 'unresponsive'
        ? { type: 'chargerUnresponsive', at, chargerId }
        : { type: 'chargerResponsive', at, chargerId },
    );
  }
  return changed;
}
