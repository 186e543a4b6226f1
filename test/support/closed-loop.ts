/**
 * Runs the real control code (load controller, allocator, lease dispatcher) against the site plant in virtual time:
 * one manual clock, no sockets, no real timers (each step lets the promises of that step settle with one
 * setImmediate). Tests and the control-quality benchmark both drive it.
 */
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { DemandState } from '../../shared/demand/demand-state';
import type { Policy } from '../../shared/policy/policy-schema';
import type {
  AdoptedConnector,
  AdoptedConnectorStore,
  AppliedLimit,
  ControlStateStore,
  LeaseOutcome,
  LeaseRequest,
  LeaseSender,
  SessionRecord,
  SessionStore,
} from '../../edge/control/control-ports';
import type { ControlEvent } from '../../edge/control/control-events';
import { LoadController } from '../../edge/control/load-controller';
import type { LoadControllerSettings } from '../../edge/control/load-controller-settings';
import { SiteRuntime } from '../../edge/control/site-runtime';
import { toMeterInput } from '../../edge/meter/grid-meter-sample';
import type { ChargerEvent } from '../../edge/ocpp/charger-events';
import { bootAnswerMaxMs } from '../../edge/ocpp/connection-boot';
import { feedControl } from '../../edge/ocpp/control-inputs';
import { ManualClock } from '../../sim/charger/sim-clock';
import { ControlQuality, type QualityReport } from '../../sim/closed-loop/control-quality';
import type { PlantEvent } from '../../sim/closed-loop/plant-messages';
import { PlantScenarioSchema, type PlantScenarioInput } from '../../sim/closed-loop/plant-scenario';
import { SitePlant } from '../../sim/closed-loop/site-plant';

/** The agent's default `ocpp.commandTimeoutMs`, which bounds how long a boot's answer waits for its protection. */
const COMMAND_TIMEOUT_MS = 5_000;

/** A car that plugs into an online charger is on its fail-safe default before anyone can act; the cut lands within this. */
const ARRIVAL_GRACE_MS = 3_000;

export const CLOSED_LOOP_SETTINGS: LoadControllerSettings = {
  debounceMs: 200,
  tickMs: 5_000,
  leaseSeconds: 120,
  unresponsiveAfterFailures: 3,
  retryInitialMs: 1_000,
  retryMaxMs: 8_000,
  saveEnergyEverySeconds: 30,
  carResponseMs: 5_000,
};

class MemorySessions implements SessionStore {
  private readonly open = new Map<number, SessionRecord>();
  openSessions(): SessionRecord[] {
    return [...this.open.values()];
  }
  startSession(session: SessionRecord): void {
    this.open.set(session.transactionId, session);
  }
  stopSession(stop: { transactionId: number }): void {
    this.open.delete(stop.transactionId);
  }
  saveEnergy(): void {}
}

class MemoryControlState implements ControlStateStore {
  private readonly limits = new Map<string, AppliedLimit>();
  private allocation: Allocation | undefined;
  private demand: DemandState | undefined;
  appliedLimits(): AppliedLimit[] {
    return [...this.limits.values()];
  }
  saveAppliedLimit(limit: AppliedLimit): void {
    this.limits.set(`${limit.chargerId}/${limit.connectorId}`, limit);
  }
  deleteAppliedLimit(chargerId: string, connectorId: number): void {
    this.limits.delete(`${chargerId}/${connectorId}`);
  }
  lastAllocation(): Allocation | undefined {
    return this.allocation;
  }
  saveAllocation(allocation: Allocation): void {
    this.allocation = allocation;
  }
  savePolicy(_policy: Policy): void {}
  demandState(): DemandState | undefined {
    return this.demand;
  }
  saveDemandState(state: DemandState): void {
    this.demand = structuredClone(state);
  }
}

class MemoryAdoptedConnectors implements AdoptedConnectorStore {
  private readonly adopted = new Map<string, AdoptedConnector>();
  adoptedConnectors(): AdoptedConnector[] {
    return [...this.adopted.values()];
  }
  saveAdoptedConnector(connector: AdoptedConnector): void {
    this.adopted.set(`${connector.chargerId}/${connector.connectorId}`, connector);
  }
  forgetAdoptedConnector(chargerId: string, connectorId: number): void {
    this.adopted.delete(`${chargerId}/${connectorId}`);
  }
}

export interface ClosedLoopOptions {
  /** Simulation step; the plant is scored once per step. */
  readonly stepMs?: number;
  readonly settings?: Partial<LoadControllerSettings>;
  /** Building load rises get this long for our cut to land before overload counts as ours. */
  readonly graceSeconds?: number;
  readonly steadyAfterSeconds?: number;
  /** Called once per step after scoring (traces in tests). */
  readonly onStep?: (run: ClosedLoopRun) => void;
}

export interface ClosedLoopRun {
  readonly clock: ManualClock;
  readonly plant: SitePlant;
  readonly controller: LoadController;
  readonly events: ControlEvent[];
}

export interface ClosedLoopResult extends ClosedLoopRun {
  readonly quality: QualityReport;
}

/** Runs a scenario to its end and scores it. */
export async function runClosedLoop(
  input: PlantScenarioInput,
  options: ClosedLoopOptions = {},
): Promise<ClosedLoopResult> {
  const scenario = PlantScenarioSchema.parse(input);
  const clock = new ManualClock();
  const startedAt = clock.now();
  const plant = new SitePlant(scenario, clock);
  const settings = { ...CLOSED_LOOP_SETTINGS, ...options.settings };
  const sender: LeaseSender = {
    async sendLease(chargerId: string, lease: LeaseRequest): Promise<LeaseOutcome> {
      return {
        kind: await plant.sendLease(chargerId, {
          connectorId: lease.connectorId,
          transactionId: lease.transactionId,
          amps: lease.amps,
          validTo: clock.now() + lease.leaseSeconds * 1000,
          ...(lease.fallbackAmps !== undefined && { fallbackAmps: lease.fallbackAmps }),
        }),
      };
    },
    async sendIdleHold(chargerId: string, holdSeconds: number): Promise<LeaseOutcome> {
      return { kind: await plant.sendIdleHold(chargerId, holdSeconds) };
    },
    requestMeterValues: (chargerId, connectorId) => plant.triggerMeterValues(chargerId, connectorId),
  };
  const events: ControlEvent[] = [];
  const graceSeconds = options.graceSeconds ?? scenario.meter.pollSeconds + 7;
  const quality = new ControlQuality(scenario, plant.topology, startedAt, {
    graceSeconds,
    steadyAfterSeconds: options.steadyAfterSeconds ?? 60,
  });
  const observer = {
    onControlEvent(event: ControlEvent) {
      events.push(event);
      if (event.type === 'profileAccepted' && event.change !== 'renewal')
        quality.recordChange(event.at, `${event.chargerId}/${event.connectorId}`);
    },
  };
  const controller = new LoadController(
    {
      runtime: new SiteRuntime(scenario.site, settings.carResponseMs),
      clock,
      sender,
      sessions: new MemorySessions(),
      state: new MemoryControlState(),
      adopted: new MemoryAdoptedConnectors(),
      observer,
      log: { info() {}, warn() {}, error() {} },
    },
    scenario.policy,
    settings,
  );
  const run: ClosedLoopRun = { clock, plant, controller, events };
  controller.start();
  plant.start((event) => deliver({ controller, plant, clock }, event));
  const stepMs = options.stepMs ?? 50;
  const endAt = startedAt + scenario.durationSeconds * 1000;
  while (clock.now() < endAt) {
    clock.advance(stepMs);
    await new Promise<void>((resolve) => setImmediate(resolve));
    plant.integrateEnergy();
    quality.sample(
      clock.now(),
      plant.truth({ inForceGraceMs: ARRIVAL_GRACE_MS, arrivalMs: graceSeconds * 1000 }),
      plant.sessions(),
    );
    options.onStep?.(run);
  }
  // A round may be waiting for a charger's answer: keep time moving until the controller has stopped.
  let stopped = false;
  const stopping = controller.stop().then(() => (stopped = true));
  for (let i = 0; i < 1_000 && !stopped; i++) {
    clock.advance(stepMs);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await stopping;
  return { ...run, quality: quality.report(endAt) };
}

/** Turns what the plant says into what the OCPP layer and the meter driver would report, passed on through their control adapters. */
function deliver(
  { controller, plant, clock }: Pick<ClosedLoopRun, 'controller' | 'plant' | 'clock'>,
  event: PlantEvent,
): void {
  const at = clock.now();
  if (event.kind === 'meter') {
    const amps = event.amps;
    controller.onMeterInput(
      toMeterInput(
        amps === undefined
          ? {
              meterId: event.meterId,
              at,
              valid: false,
              fault: { reason: 'meterFault.timeout', params: { count: 74, address: 0, seconds: 1 } },
            }
          : {
              meterId: event.meterId,
              at,
              valid: true,
              values: {
                volts: [230, 230, 230],
                amps,
                watts: [amps[0] * 230, amps[1] * 230, amps[2] * 230],
                totalWatts: (amps[0] + amps[1] + amps[2]) * 230,
                importWh: 0,
              },
            },
      ),
    );
    return;
  }
  const toControl = feedControl(controller);
  for (const e of chargerEvents(event, at)) toControl.onEvent(e);
  // A charger that booted is configured as the central system does it: told once its fail-safe call is answered, and
  // its boot answered once the loop has it protected (or after the bound, edge/ocpp/connection-boot.ts).
  if (event.kind === 'connected' && event.booted) {
    const { chargerId } = event;
    const configuration = plant.configureAtBoot(chargerId).then((answer) => {
      if (answer === 'notConnected' || answer === 'timeout') return;
      toControl.onEvent(configured(chargerId, clock.now(), answer === 'accepted'));
    });
    const bound = new Promise<void>((resolve) => clock.after(bootAnswerMaxMs(COMMAND_TIMEOUT_MS), resolve));
    const answered = plant.scenario.chargers.bootAnsweredAtOnce
      ? Promise.resolve()
      : Promise.race([Promise.all([configuration, controller.protectedAfterBoot(chargerId)]), bound]);
    void answered.then(() => plant.bootAnswered(chargerId, at));
  }
}

function configured(chargerId: string, at: number, failSafeInstalled: boolean): ChargerEvent {
  return {
    type: 'configured',
    chargerId,
    at,
    capabilities: { rateUnit: 'A', maxStackLevel: 10, phaseRotation: undefined, numberOfConnectors: undefined },
    failSafeInstalled,
    rejectedKeys: [],
  };
}

function chargerEvents(event: Exclude<PlantEvent, { kind: 'meter' }>, at: number): ChargerEvent[] {
  const { chargerId } = event;
  switch (event.kind) {
    case 'connected':
      return [
        { type: 'connected', chargerId, at, remoteAddress: undefined },
        event.booted
          ? {
              type: 'booted',
              chargerId,
              at,
              registration: 'Accepted',
              triggered: false,
              vendor: 'plant',
              model: 'plant',
              serialNumber: undefined,
              firmwareVersion: undefined,
            }
          : configured(chargerId, at, true),
      ];
    case 'disconnected':
      return [{ type: 'disconnected', chargerId, at, code: 1006, reason: 'connection lost' }];
    case 'status':
      return [
        {
          type: 'status',
          chargerId,
          at,
          connectorId: event.connectorId,
          status: event.status,
          errorCode: 'NoError',
          info: undefined,
          vendorErrorCode: undefined,
        },
      ];
    case 'started':
      return [
        {
          type: 'transactionStarted',
          chargerId,
          at,
          connectorId: event.connectorId,
          transactionId: event.transactionId,
          idTag: event.idTag,
          status: 'Accepted',
          vip: false,
          meterStartWh: 0,
          startedAt: { at, receivedAt: at, source: 'charger' },
        },
      ];
    case 'stopped':
      return [
        {
          type: 'transactionStopped',
          chargerId,
          at,
          transactionId: event.transactionId,
          idTag: undefined,
          meterStopWh: event.meterStopWh,
          reason: 'EVDisconnected',
          sample: undefined,
          stoppedAt: { at, receivedAt: at, source: 'charger' },
        },
      ];
    case 'meterValues':
      return [
        {
          type: 'meterValues',
          chargerId,
          at,
          connectorId: event.connectorId,
          transactionId: event.transactionId,
          sample: {
            at,
            measurement: { amps: [event.amps[0], event.amps[1], event.amps[2]], at },
            energyWh: event.energyWh,
          },
          sampledAt: { at, receivedAt: at, source: 'charger' },
        },
      ];
  }
}
