/**
 * The loop's collaborators, built from its (storage-guarded) deps and wired back to it: each calls into the loop only
 * through the hooks given here. Its own file so the loop (load-controller.ts) holds the coordination, not the wiring.
 */
import { createAllocator } from '../../shared/allocation/allocator';
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Charger } from '../../shared/site/site-schema';
import { AllocationRound } from './allocation-round';
import { BootReadiness } from './boot-readiness';
import type { ChargerInputTargets } from './charger-input';
import { ConnectorAdoption } from './connector-adoption';
import { DemandControl } from './demand-control';
import { EnforcedLimits } from './enforced-limits';
import { IdleHolds } from './idle-holds';
import { LeaseDispatcher } from './lease-dispatcher';
import type { LoadControllerDeps, LoadControllerSettings } from './load-controller-settings';
import { MeterWatch } from './meter-watch';
import { SampleRequests } from './sample-requests';
import { SessionEvents } from './session-events';

/** What the collaborators ask of the loop, answered on the spot. */
export interface ControlLoopHooks {
  readonly policy: () => Policy;
  readonly chargers: () => ReadonlyMap<string, Charger>;
  readonly previous: () => Allocation | undefined;
  readonly stopped: () => boolean;
  /** Asks for a round after the debounce (or `delayMs`). */
  readonly request: (delayMs?: number) => void;
  readonly settleBoots: () => void;
  readonly siteChanged: () => void;
}

export interface ControlParts {
  readonly readiness: BootReadiness;
  readonly demand: DemandControl;
  readonly samples: SampleRequests;
  readonly dispatcher: LeaseDispatcher;
  readonly holds: IdleHolds;
  readonly enforced: EnforcedLimits;
  readonly adoption: ConnectorAdoption;
  readonly sessionEvents: SessionEvents;
  readonly meters: MeterWatch;
  readonly allocationRound: AllocationRound;
  readonly chargerInput: ChargerInputTargets;
}

/** Builds the loop's collaborators in the order they depend on each other. */
export function buildControlParts(
  deps: LoadControllerDeps,
  settings: LoadControllerSettings,
  loop: ControlLoopHooks,
): ControlParts {
  const readiness = new BootReadiness();
  const onLimit = (
    order: { chargerId: string; connectorId: number; transactionId: number },
    at: number,
    amps: number,
    confirmed?: boolean,
  ) => {
    const session = deps.runtime.sessionAt(order.chargerId, order.connectorId);
    if (session?.transactionId !== order.transactionId) return;
    // Against the limits the charger confirmed: a cut counts as pending from when it was sent, and must still be
    // followed by its samples once answered.
    const changed = session.history.limitAt(at, confirmed === false) !== amps;
    session.history.addLimit(at, amps, confirmed);
    if (changed && confirmed !== false && at <= deps.clock.now())
      samples.afterChange(order.chargerId, order.connectorId, loop.policy());
  };
  // The site's voltage is fixed for the agent's life (a site change may not set another); its time zone is not.
  const demand = new DemandControl({
    ...deps,
    timezone: () => deps.runtime.site.timezone,
    nominalVolts: deps.runtime.site.nominalVolts,
  });
  const samples = new SampleRequests(deps.clock, deps.sender, deps.runtime, settings.carResponseMs);
  const dispatcher = new LeaseDispatcher({ ...deps, onLimit }, settings);
  const holds = new IdleHolds(deps.sender, deps.clock, settings, (chargerId, outcome) => {
    if (outcome === 'refused')
      deps.log.warn({ chargerId }, 'charger refused the idle hold: a car plugging in gets its fail-safe at once');
    else loop.request();
    loop.settleBoots();
  });
  const enforced = new EnforcedLimits({
    runtime: deps.runtime,
    dispatcher,
    holds,
    chargers: loop.chargers,
    policy: loop.policy,
    carResponseMs: settings.carResponseMs,
  });
  const adoption = new ConnectorAdoption({
    runtime: deps.runtime,
    store: deps.adopted,
    observer: deps.observer,
    log: deps.log,
    onAdopted: loop.siteChanged,
  });
  const { request } = loop;
  const sessionEvents = new SessionEvents({
    ...deps,
    dispatcher,
    enforced,
    adoption,
    chargers: loop.chargers,
    request,
  });
  const meters = new MeterWatch({
    ...deps,
    demand,
    policy: loop.policy,
    rootMeterId: () => allocationRound.rootMeterId(),
    stopped: loop.stopped,
    request,
  });
  const allocationRound = new AllocationRound({
    ...deps,
    // Each controller owns its allocator, so no other caller's rounds share its caches.
    allocate: deps.allocate ?? createAllocator(),
    demand,
    enforced,
    samples,
    policy: loop.policy,
    previous: loop.previous,
    request,
    carResponseMs: settings.carResponseMs,
  });
  const chargerInput: ChargerInputTargets = {
    runtime: deps.runtime,
    dispatcher,
    holds,
    readiness,
    adoption,
    sessionEvents,
    policy: loop.policy,
    request: () => loop.request(),
  };
  return {
    readiness,
    demand,
    samples,
    dispatcher,
    holds,
    enforced,
    adoption,
    sessionEvents,
    meters,
    allocationRound,
    chargerInput,
  };
}
