/**
 * The control loop: events update the site runtime, a debounced round allocates and dispatches, a periodic tick
 * drives rotation, schedules and lease renewal, and meter timers notice a meter that went quiet.
 */
import type { Allocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import type { Policy } from '../../shared/policy/policy-schema';
import type { MessageRef } from '../../shared/server-messages';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Charger, Site } from '../../shared/site/site-schema';
import { allocationChanged, leaseTargets, meterTransitions, unleasedAmps } from './allocation-targets';
import { applyChargerInput } from './charger-input';
import { buildControlParts, type ControlParts } from './control-parts';
import { RoundScheduler } from './round-scheduler';
import type { ChargerInput, MeterInput } from './control-inputs';
import type { DemandAnswer } from '../../shared/dashboard/demand-answer';
import type { InheritedLease } from './control-ports';
import { applyLinkChanges } from './link-changes';
import type { LoadControllerDeps, LoadControllerSettings } from './load-controller-settings';
import { StorageGuard } from './storage-guard';
import type { SiteRuntime } from './site-runtime';

/** How soon a round looks again at raises the gate held back. */
const HELD_RAISE_RECHECK_MS = 1_000;

export class LoadController {
  private policyInForce: Policy;
  private previous: Allocation | undefined;
  private chargers: ReadonlyMap<string, Charger>;
  private readonly runtime: SiteRuntime;
  private readonly rounds: RoundScheduler;
  /** The loop's collaborators (control-parts.ts). */
  private readonly parts: ControlParts;
  private cancelTick = (): void => {};
  private stopped = true;
  private energySavedAt = 0;
  /** Site versions saved since the last round began, the newest last, with who waits for each to be in force. */
  private pendingSites: { readonly site: Site; readonly applied: () => void }[] = [];

  private readonly deps: LoadControllerDeps;
  /** Writes to the stores and observers that failed (a full disk): control carried on from memory. */
  readonly storage: StorageGuard;

  constructor(
    unguarded: LoadControllerDeps,
    policy: Policy,
    private readonly settings: LoadControllerSettings,
  ) {
    this.storage = new StorageGuard(unguarded.log, unguarded.clock, unguarded.observer);
    const deps: LoadControllerDeps = {
      ...unguarded,
      sessions: this.storage.sessions(unguarded.sessions),
      state: this.storage.state(unguarded.state),
      adopted: this.storage.adopted(unguarded.adopted),
      observer: this.storage.observer(unguarded.observer),
    };
    this.deps = deps;
    this.policyInForce = policy;
    this.runtime = deps.runtime;
    this.chargers = new Map(deps.runtime.site.chargers.map((c) => [c.id, c]));
    this.rounds = new RoundScheduler({
      clock: deps.clock,
      debounceMs: settings.debounceMs,
      stopped: () => this.stopped,
      round: () => this.round(),
    });
    this.parts = buildControlParts(deps, settings, {
      policy: () => this.policyInForce,
      chargers: () => this.chargers,
      previous: () => this.previous,
      stopped: () => this.stopped,
      request: (delayMs) => this.rounds.request(delayMs),
      settleBoots: () => this.settleBoots(),
      siteChanged: () => this.siteChanged(),
    });
  }

  get policy(): Policy {
    return this.policyInForce;
  }

  /** The last allocation, if a round has run (or one was restored). */
  get allocation(): Allocation | undefined {
    return this.previous;
  }

  /** Restores sessions and the last allocation, then starts the tick and a first round. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.parts.adoption.restore();
    this.parts.sessionEvents.restore();
    this.parts.dispatcher.restoreLimits({
      unleased: (limit) => this.parts.enforced.unleased(limit.chargerId),
      failSafe: (limit) => {
        const charger = this.chargers.get(limit.chargerId);
        return charger === undefined ? 0 : unleasedAmps(charger, true, this.policyInForce);
      },
      minAmps: (limit) => {
        const charger = this.chargers.get(limit.chargerId);
        const connector = charger?.connectors.find((c) => c.id === limit.connectorId);
        return connector?.minAmps ?? charger?.minAmps ?? 0;
      },
    });
    this.previous = this.deps.state.lastAllocation();
    this.energySavedAt = this.deps.clock.now();
    this.scheduleTick();
    this.rounds.request();
  }

  /** Stops timers, waits for a round in flight and saves session energy. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTick();
    this.rounds.dropWake();
    this.parts.allocationRound.cancel();
    this.rounds.dropPending();
    this.parts.meters.cancelAll();
    this.parts.samples.cancelAll();
    await this.rounds.inFlight();
    this.saveEnergy();
    this.storage.retry();
    if (this.storage.waiting > 0)
      this.deps.log.error({ writes: this.storage.waiting }, 'stopping with writes the disk never took: they are lost');
  }

  /** Puts a new (already validated) policy in force and persists it. */
  setPolicy(policy: Policy): void {
    this.policyInForce = policy;
    this.deps.state.savePolicy(policy);
    this.rounds.request();
  }

  /**
   * Puts another version of the site in force at the start of the next round, never during one, so a round allocates
   * against one whole version; resolves once it is in force (at once while the loop is not running).
   */
  replaceSite(site: Site): Promise<void> {
    return new Promise((applied) => {
      this.pendingSites.push({ site, applied });
      if (this.stopped) this.applyPendingSites();
      else this.rounds.request(0);
    });
  }

  /** The allocator's input as a round would take it now (the dashboard's views and previews). */
  snapshot(): SiteSnapshot {
    return this.parts.allocationRound.snapshot();
  }

  /** Peak-demand control's period so far, target, forecast and the months' peaks (`GET /api/demand`). */
  demandStatus(): DemandAnswer {
    return this.parts.demand.status(this.deps.clock.now(), this.policyInForce);
  }

  /** Resolves once no round is pending or running (tests and benchmarks). */
  idle(): Promise<void> {
    return this.rounds.idle();
  }

  /** A transaction may start where the site can control it: on a listed connector, or one adopted now. */
  refusal(start: {
    chargerId: string;
    connectorId: number;
    transactionId: number;
    at: number;
  }): MessageRef | undefined {
    return this.parts.sessionEvents.refusal(start);
  }

  /**
   * A cluster takeover: another master's lease on a running transaction, from the ledger. It is held as the charger's
   * lease until its `validTo` (or until this node's own replaces it), for an adopted transaction instead of the
   * charger's maximum; one for a transaction not running here is of no use.
   */
  inheritLease(lease: InheritedLease): void {
    const session = this.runtime.sessionAt(lease.chargerId, lease.connectorId);
    if (session?.transactionId !== lease.transactionId) return;
    this.parts.dispatcher.assumeUnknownLease({
      ...lease,
      ref: formatConnectorRef(lease.chargerId, lease.connectorId),
      at: this.deps.clock.now(),
      expiresAt: lease.validTo,
      unleasedAmps: this.parts.enforced.unleased(lease.chargerId),
    });
    this.rounds.request();
  }

  /**
   * Resolves once a charger that booted for real is protected: its boot configuration's outcome was taken and its first
   * idle hold answered (or not wanted now: it waits for a car's lease). The central system answers the boot then, so no
   * car starts before the hold is in (docs/ocpp.md, "At boot"); at once for a charger that did not boot.
   */
  protectedAfterBoot(chargerId: string): Promise<void> {
    return this.parts.readiness.protectedAfterBoot(chargerId);
  }

  /** Takes what a charger said (the OCPP layer's events, adapted). */
  onChargerInput(event: ChargerInput): void {
    applyChargerInput(event, this.parts.chargerInput);
  }

  /** Takes one grid meter sample; a valid one re-runs the allocation, and the meter's staleness deadline moves on. */
  onMeterInput(input: MeterInput): void {
    this.parts.meters.onInput(input);
  }

  /** Puts the newest site version saved in force; chargers it drops leave no lease state behind. */
  private applyPendingSites(): void {
    const pending = this.pendingSites.splice(0);
    const newest = pending.at(-1);
    if (newest === undefined) return;
    const ids = new Set(newest.site.chargers.map((c) => c.id));
    for (const id of this.chargers.keys()) if (!ids.has(id)) this.parts.dispatcher.dropCharger(id);
    this.runtime.replaceSite(newest.site);
    this.siteChanged();
    for (const { applied } of pending) applied();
  }

  /** Builds again what was built from the site, once it changed (a version put in force, a connector adopted). */
  private siteChanged(): void {
    this.chargers = new Map(this.runtime.site.chargers.map((c) => [c.id, c]));
    this.parts.allocationRound.useSite(this.runtime.site);
    this.rounds.request();
  }

  private async round(): Promise<void> {
    try {
      this.applyPendingSites();
      const now = this.deps.clock.now();
      const policy = this.policyInForce;
      const chargerIds = [...this.chargers.keys()];
      // A charger's first hold (none in force) waits for the leases of cars already on it: it would stop them.
      this.parts.holds.renew(
        chargerIds.filter(
          (id) =>
            this.runtime.link(id) === 'online' &&
            (this.parts.holds.holdsAt(id, now) || !this.parts.enforced.carWithoutLease(id)),
        ),
      );
      const { allocation, raisesHeld } = this.parts.allocationRound.allocate(now, policy);
      const changed = allocationChanged(this.previous, allocation);
      const transitions = meterTransitions(this.previous, allocation);
      this.previous = allocation;
      if (changed) this.deps.state.saveAllocation(allocation);
      this.parts.meters.report(transitions, now);
      this.deps.observer.onControlEvent({ type: 'allocation', at: now, allocation, changed });
      const outcome = await this.parts.dispatcher.dispatch(
        leaseTargets(allocation, this.runtime, this.chargers, policy),
      );
      if (applyLinkChanges(outcome.links, this.deps)) this.rounds.again();
      const reserved = allocation.connectors
        .filter((a) => a.reason === 'offline' || a.reason === 'unresponsive')
        .map((a) => a.ref);
      // A reserved charger's lease running out frees current once its car had time to follow.
      const response = this.settings.carResponseMs;
      const expiresAt = this.parts.dispatcher.earliestExpiry(reserved, this.deps.clock.now() - response);
      const expiry = expiresAt === undefined ? undefined : expiresAt + response;
      // Raises held back wait for cut cars to follow (or for a sample to show it): look again soon.
      const heldBack = raisesHeld ? this.deps.clock.now() + HELD_RAISE_RECHECK_MS : undefined;
      // A charger whose idle hold stops covering it reserves its fail-safe again from then on.
      const uncovered = this.parts.holds.coverEnds(chargerIds, now);
      const wakes = [expiry, outcome.retryAt, heldBack, uncovered].filter((at): at is number => at !== undefined);
      this.settleBoots();
      this.rounds.wakeAt(wakes.length === 0 ? undefined : Math.min(...wakes));
    } catch (error) {
      this.deps.log.error({ err: error }, 'control round failed');
    }
  }

  /** Lets go of the booted chargers whose first hold is in, refused, or waits for a car's lease. */
  private settleBoots(): void {
    const now = this.deps.clock.now();
    this.parts.readiness.settle(
      (id) =>
        this.parts.holds.holdsAt(id, now) ||
        this.parts.holds.refuses(id) ||
        this.parts.enforced.carWithoutLease(id) ||
        this.runtime.link(id) !== 'online',
    );
  }

  private scheduleTick(): void {
    this.cancelTick = this.deps.clock.after(this.settings.tickMs, () => {
      if (this.stopped) return;
      this.scheduleTick();
      this.storage.retry();
      if (this.deps.clock.now() - this.energySavedAt >= this.settings.saveEnergyEverySeconds * 1000) this.saveEnergy();
      this.rounds.request(0);
    });
  }

  private saveEnergy(): void {
    this.energySavedAt = this.deps.clock.now();
    this.deps.sessions.saveEnergy(
      this.runtime
        .openSessions()
        .map((s) => ({ transactionId: s.transactionId, energyWh: s.energyWh, energyAt: s.energyAt })),
    );
  }
}
