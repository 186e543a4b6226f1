/**
 * Plays a scenario against an OCPP central system: virtual chargers (real OCPP clients) with cars that arrive and
 * leave, and a Modbus TCP meter that reads the building load plus what the simulated chargers draw. With a reconnect
 * back-off, each charger dials again whenever its connection closes (the central system restarted or dropped it), as
 * a real charger does.
 */
import { gridPhasesOf, type PhaseRotation } from '../../shared/units';
import { ChargerReconnect, type ReconnectBackOff } from '../charger/charger-reconnect';
import type { SimClock } from '../charger/sim-clock';
import { VirtualCharger, DEFAULT_CHARGER, type VirtualChargerSpec } from '../charger/virtual-charger';
import { createModbusTcpServer, type ModbusTcpServer } from '../meter/modbus-tcp-server';
import { meterRegisterImage, type SimulatedMeterModel } from '../meter/meter-register-image';
import { buildingLoadAt, type Scenario, type ScenarioEvent } from './scenario-schema';

export interface SimulatedCharger {
  readonly id: string;
  readonly phases: 1 | 3;
  readonly maxAmps: number;
  readonly phaseRotation: PhaseRotation;
  readonly password?: string;
}

export interface SiteSimulatorOptions {
  readonly scenario: Scenario;
  readonly chargers: readonly SimulatedCharger[];
  readonly clock: SimClock;
  readonly volts: number;
  /** The meter simulator: its model and port (0 picks a free one). */
  readonly meter?: { readonly model: SimulatedMeterModel; readonly port: number };
  /** Overrides for every virtual charger (ramp delay, profile rejection...). */
  readonly chargerSpec?: Partial<Omit<VirtualChargerSpec, 'id'>>;
  /** Each charger dials again with this back-off once its connection closes; without it, it stays closed. */
  readonly reconnect?: ReconnectBackOff;
  /** A charger got through again after its connection closed (with `reconnect`). */
  readonly onReconnected?: (chargerId: string) => void;
  /** Things the scenario did, for a console or a test. */
  readonly onStep?: (event: ScenarioEvent, outcome: string) => void;
  readonly onError?: (error: unknown) => void;
}

export interface SiteSimulator {
  readonly chargers: ReadonlyMap<string, VirtualCharger>;
  readonly meter: ModbusTcpServer | undefined;
  /** Per grid phase: what the simulated chargers draw now. */
  chargerDrawAmps(): [number, number, number];
  /** Starts the meter simulator alone (so the agent can be told its port first); resolves with the port. */
  startMeter(): Promise<number | undefined>;
  /** Starts the meter if needed, connects every charger to `ocppUrl` and schedules the events; resolves once connected. */
  start(ocppUrl: string): Promise<void>;
  /** Resolves when the last event has run. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

export function createSiteSimulator(options: SiteSimulatorOptions): SiteSimulator {
  const { scenario, clock } = options;
  const onError = options.onError ?? (() => {});
  const carPhases = new Map<string, 1 | 2 | 3>();
  const chargers = new Map<string, VirtualCharger>();
  const specs = new Map(options.chargers.map((c) => [c.id, c]));
  let startedAt = clock.now();
  const cancels: (() => void)[] = [];
  const reconnects: ChargerReconnect[] = [];
  let finish = (): void => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const chargerDrawAmps = (): [number, number, number] => {
    const grid: [number, number, number] = [0, 0, 0];
    for (const [id, charger] of chargers) {
      const phases = Math.min(carPhases.get(id) ?? 0, specs.get(id)!.phases);
      const wiring = gridPhasesOf(specs.get(id)!.phaseRotation);
      for (let k = 0; k < phases; k++) grid[wiring[k]!] += charger.drawAmps;
    }
    return grid;
  };

  const meter =
    options.meter &&
    createModbusTcpServer({
      port: options.meter.port,
      source: meterRegisterImage(options.meter.model, () => {
        const building = buildingLoadAt(scenario, (clock.now() - startedAt) / 1000);
        const draw = chargerDrawAmps();
        return {
          volts: [options.volts, options.volts, options.volts],
          amps: [building[0] + draw[0], building[1] + draw[1], building[2] + draw[2]],
          importWh: 0,
        };
      }),
    });

  const run = async (event: ScenarioEvent): Promise<string> => {
    if (event.type === 'meterMode') {
      meter?.setMode(event.mode);
      return `meter ${event.mode}`;
    }
    const charger = chargers.get(event.chargerId);
    if (charger === undefined) return `unknown charger ${event.chargerId}`;
    if (event.type === 'depart') {
      await charger.unplug();
      carPhases.delete(event.chargerId);
      return 'left';
    }
    const car = event.car;
    carPhases.set(event.chargerId, car.phases);
    await charger.plugIn({
      batteryWh: car.batteryKwh * 1000,
      initialSoc: car.initialSoc,
      maxAmps: car.maxAmps,
      phases: car.phases,
      taperFromSoc: car.taperFromSoc,
      minAmps: 6,
    });
    const transactionId = await charger.authorizeAndStart(event.idTag);
    return transactionId === undefined ? `tag ${event.idTag} refused` : `transaction ${transactionId}`;
  };

  return {
    chargers,
    meter,
    chargerDrawAmps,
    finished,
    startMeter: async () => meter?.start(),
    async start(ocppUrl) {
      await meter?.start();
      for (const c of options.chargers) {
        const spec: VirtualChargerSpec = {
          ...DEFAULT_CHARGER,
          volts: options.volts,
          ...options.chargerSpec,
          id: c.id,
          phases: c.phases,
          maxAmps: c.maxAmps,
          phaseRotation: c.phaseRotation,
          ...(c.password !== undefined && { password: c.password }),
        };
        const charger = new VirtualCharger(spec, ocppUrl, clock, onError);
        chargers.set(c.id, charger);
        if (options.reconnect === undefined) continue;
        // A failed attempt is the back-off's to handle (the central system is still down): only success is told.
        const listener = { connected: () => options.onReconnected?.(c.id), failed: () => {} };
        reconnects.push(new ChargerReconnect(charger, clock, listener, options.reconnect));
      }
      await Promise.all([...chargers.values()].map((c) => c.connect()));
      startedAt = clock.now();
      const last = scenario.events.reduce((t, e) => Math.max(t, e.atSeconds), 0);
      // Events on one charger run in order; different chargers run side by side.
      const queues = new Map<string, Promise<void>>();
      for (const event of scenario.events) {
        cancels.push(
          clock.after(event.atSeconds * 1000, () => {
            const key = event.type === 'meterMode' ? 'meter' : event.chargerId;
            const next = (queues.get(key) ?? Promise.resolve())
              .then(() => run(event))
              .then((outcome) => options.onStep?.(event, outcome), onError);
            queues.set(key, next);
          }),
        );
      }
      cancels.push(clock.after(last * 1000 + 1, () => void Promise.all(queues.values()).then(() => finish())));
    },
    async stop() {
      cancels.forEach((cancel) => cancel());
      reconnects.forEach((reconnect) => reconnect.stop());
      await Promise.all([...chargers.values()].map((c) => c.close().catch(onError)));
      await meter?.stop();
    },
  };
}
