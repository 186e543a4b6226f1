/**
 * The control loop: events update the site runtime, a debounced round allocates and dispatches, a periodic tick
 * drives rotation, schedules and lease renewal, and meter timers notice a meter that went quiet.
 */
import { allocate as defaultAllocate } from '../../shared/allocation/allocate';
import type { AllocateFn, Allocation } from '../../shared/allocation/allocation-types';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Charger } from '../../shared/site/site-schema';
import type { GridMeterSample } from '../meter/grid-meter-sample';
import { toMeterReading } from '../meter/grid-meter-sample';
import type { ChargerEventListener } from '../ocpp/central-system-ports';
import type { ChargerEvent } from '../ocpp/charger-events';
import { allocationChanged, leaseTargets, meterTransitions, withEnforcedLimits } from './allocation-targets';
import type { ControlClock, ControlObserver, ControlStateStore, LeaseSender, SessionStore } from './control-ports';
import { LeaseDispatcher, type DispatchSettings } from './lease-dispatcher';
import type { SiteRuntime } from './site-runtime';

/** The slice of a pino logger the loop uses. */
export interface ControlLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

export interface LoadControllerDeps {
  readonly runtime: SiteRuntime;
  readonly clock: ControlClock;
  readonly sender: LeaseSender;
  readonly sessions: SessionStore;
  readonly state: ControlStateStore;
  readonly observer: ControlObserver;
  readonly log: ControlLog;
  readonly allocate?: AllocateFn;
}

export interface LoadControllerSettings extends DispatchSettings {
  readonly debounceMs: number;
  readonly tickMs: number;
  readonly saveEnergyEverySeconds: number;
}

export class LoadController implements ChargerEventListener {
  private policyInForce: Policy;
  private previous: Allocation | undefined;
  private readonly dispatcher: LeaseDispatcher;
  private readonly chargers: ReadonlyMap<string, Charger>;
  private readonly runtime: SiteRuntime;
  private readonly allocate: AllocateFn;
  private readonly meterTimers = new Map<string, () => void>();
  private cancelRound: (() => void) | undefined;
  private cancelTick = (): void => {};
  private cancelRetry = (): void => {};
  private running: Promise<void> | undefined;
  private dirty = false;
  private stopped = true;
  private energySavedAt = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: LoadControllerDeps,
    policy: Policy,
    private readonly settings: LoadControllerSettings,
  ) {
    this.policyInForce = policy;
    this.runtime = deps.runtime;
    this.allocate = deps.allocate ?? defaultAllocate;
    this.chargers = new Map(deps.runtime.site.chargers.map((c) => [c.id, c]));
    this.dispatcher = new LeaseDispatcher(deps, settings);
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
    for (const session of this.deps.sessions.openSessions()) {
      if (!this.runtime.startSession(session)) this.deps.log.warn({ transactionId: session.transactionId }, 'stored session on a connector the site no longer has');
    }
    this.previous = this.deps.state.lastAllocation();
    this.energySavedAt = this.deps.clock.now();
    this.scheduleTick();
    this.request();
  }

  /** Stops timers, waits for a round in flight and saves session energy. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTick();
    this.cancelRetry();
    this.cancelRound?.();
    this.cancelRound = undefined;
    for (const cancel of this.meterTimers.values()) cancel();
    this.meterTimers.clear();
    await this.running;
    this.saveEnergy();
  }

  /** Puts a new (already validated) policy in force and persists it. */
  setPolicy(policy: Policy): void {
    this.policyInForce = policy;
    this.deps.state.savePolicy(policy);
    this.request();
  }

  /** Resolves once no round is pending or running (tests and benchmarks). */
  idle(): Promise<void> {
    if (this.running === undefined && this.cancelRound === undefined) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  onEvent(event: ChargerEvent): void {
    if (!this.runtime.has(event.chargerId)) return;
    const { runtime } = this;
    switch (event.type) {
      case 'connected':
        this.dispatcher.resetCharger(event.chargerId);
        if (runtime.setLink(event.chargerId, 'online')) this.request();
        return;
      case 'disconnected':
        if (runtime.setLink(event.chargerId, 'offline')) this.request();
        return;
      case 'configured':
        runtime.setFailSafeInstalled(event.chargerId, event.failSafeInstalled);
        this.request();
        return;
      case 'status':
        if (runtime.setStatus(event.chargerId, event.connectorId, event.status)) this.request();
        return;
      case 'transactionStarted':
        this.startSession(event);
        return;
      case 'transactionStopped':
        this.stopSession(event);
        return;
      case 'meterValues': {
        const session = event.transactionId === undefined ? undefined : runtime.session(event.transactionId);
        const connectorId = session?.connectorId ?? event.connectorId;
        const measured = event.sample.measurement && { amps: event.sample.measurement.amps, at: event.at };
        const useful = runtime.recordMeasurement(event.chargerId, connectorId, measured, event.sample.energyWh);
        if (useful && (this.policyInForce.closedLoop.enabled || this.policyInForce.control.mode === 'dynamic')) this.request();
        return;
      }
      default:
        return;
    }
  }

  /** Takes one grid meter sample; a valid one re-runs the allocation, and the meter's staleness deadline moves on. */
  onMeterSample(sample: GridMeterSample): void {
    this.runtime.recordMeterReading(toMeterReading(sample), sample.valid ? undefined : sample.reason);
    if (!sample.valid || this.stopped) return;
    this.request();
    const control = this.policyInForce.control;
    if (control.mode !== 'dynamic') return;
    this.meterTimers.get(sample.meterId)?.();
    const staleInMs = Math.max(0, sample.at + control.staleMeter.afterSeconds * 1000 - this.deps.clock.now()) + 1;
    this.meterTimers.set(sample.meterId, this.deps.clock.after(staleInMs, () => this.request(0)));
  }

  private startSession(event: Extract<ChargerEvent, { type: 'transactionStarted' }>): void {
    if (event.status !== 'Accepted') return;
    const record = {
      transactionId: event.transactionId, chargerId: event.chargerId, connectorId: event.connectorId, idTag: event.idTag,
      startedAt: event.at, meterStartWh: event.meterStartWh, energyWh: 0,
    };
    if (!this.runtime.startSession(record)) return;
    this.deps.sessions.startSession(record);
    this.deps.observer.onControlEvent({ type: 'sessionStarted', at: event.at, ref: `${event.chargerId}/${event.connectorId}`, transactionId: event.transactionId, idTag: event.idTag });
    this.request();
  }

  private stopSession(event: Extract<ChargerEvent, { type: 'transactionStopped' }>): void {
    const ended = this.runtime.stopSession(event.transactionId, event.meterStopWh);
    this.deps.sessions.stopSession({ transactionId: event.transactionId, stoppedAt: event.at, meterStopWh: event.meterStopWh, reason: event.reason });
    if (ended === undefined) return;
    this.dispatcher.forget(ended.chargerId, ended.connectorId);
    this.deps.observer.onControlEvent({ type: 'sessionEnded', at: event.at, ref: ended.ref, transactionId: ended.transactionId, startedAt: ended.startedAt, idTag: ended.idTag, energyWh: ended.energyWh });
    this.request();
  }

  /** Asks for a round after the debounce (or `delayMs`); requests during a round run one more round after it. */
  private request(delayMs = this.settings.debounceMs): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.dirty = true;
      return;
    }
    if (this.cancelRound !== undefined) {
      if (delayMs > 0) return;
      this.cancelRound();
    }
    this.cancelRound = this.deps.clock.after(delayMs, () => {
      this.cancelRound = undefined;
      this.running = this.round().finally(() => {
        this.running = undefined;
        if (this.dirty) {
          this.dirty = false;
          this.request();
        }
        if (this.running === undefined && this.cancelRound === undefined) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    });
  }

  private async round(): Promise<void> {
    try {
      const now = this.deps.clock.now();
      const policy = this.policyInForce;
      const targets = (a: Allocation) => leaseTargets(a, this.runtime, this.chargers, policy);
      const unresponsive = new Map(
        this.previous === undefined ? [] : targets(this.previous).filter((t) => t.link === 'unresponsive').map((t) => [t.ref, this.dispatcher.enforced(t, now)]),
      );
      const previous = withEnforcedLimits(this.previous, (a) => unresponsive.get(a.ref));
      const allocation = this.allocate(this.runtime.snapshot(previous), policy, now);
      const changed = allocationChanged(this.previous, allocation);
      const transitions = meterTransitions(this.previous, allocation);
      this.previous = allocation;
      if (changed) this.deps.state.saveAllocation(allocation);
      this.reportMeters(transitions, now);
      this.deps.observer.onControlEvent({ type: 'allocation', at: now, allocation, changed });
      const outcome = await this.dispatcher.dispatch(targets(allocation));
      for (const { chargerId, link } of outcome.links) {
        if (this.runtime.link(chargerId) === 'offline' || !this.runtime.setLink(chargerId, link)) continue;
        this.dirty = true;
        const at = this.deps.clock.now();
        if (link === 'unresponsive') this.deps.log.warn({ chargerId }, 'charger unresponsive: its last limit stays reserved');
        this.deps.observer.onControlEvent(link === 'unresponsive' ? { type: 'chargerUnresponsive', at, chargerId } : { type: 'chargerResponsive', at, chargerId });
      }
      this.scheduleRetry(outcome.retryAt);
    } catch (error) {
      this.deps.log.error({ err: error }, 'control round failed');
    }
  }

  private reportMeters(transitions: ReturnType<typeof meterTransitions>, at: number): void {
    for (const { circuitId, lost } of transitions) {
      const meterId = this.runtime.site.circuits.find((c) => c.id === circuitId)?.meterId ?? circuitId;
      if (lost) {
        const reason = this.runtime.meterFault(meterId) ?? 'no reading';
        this.deps.log.warn({ meterId, circuitId, reason }, 'meter lost: circuit falls back to the fail-safe budget');
        this.deps.observer.onControlEvent({ type: 'meterLost', at, meterId, circuitId, reason });
      } else {
        this.deps.log.info({ meterId, circuitId }, 'meter recovered: dynamic control resumes');
        this.deps.observer.onControlEvent({ type: 'meterRecovered', at, meterId, circuitId });
      }
    }
  }

  private scheduleRetry(retryAt: number | undefined): void {
    this.cancelRetry();
    this.cancelRetry = () => {};
    if (retryAt === undefined || this.stopped) return;
    this.cancelRetry = this.deps.clock.after(Math.max(0, retryAt - this.deps.clock.now()), () => this.request(0));
  }

  private scheduleTick(): void {
    this.cancelTick = this.deps.clock.after(this.settings.tickMs, () => {
      if (this.stopped) return;
      this.scheduleTick();
      if (this.deps.clock.now() - this.energySavedAt >= this.settings.saveEnergyEverySeconds * 1000) this.saveEnergy();
      this.request(0);
    });
  }

  private saveEnergy(): void {
    this.energySavedAt = this.deps.clock.now();
    this.deps.sessions.saveEnergy(this.runtime.openSessions().map((s) => ({ transactionId: s.transactionId, energyWh: s.energyWh })));
  }
}
