/**
 * A real edge agent with several Modbus TCP meters (each a simulator on port 0) whose readings follow the virtual
 * chargers' draw, and its dashboard on port 0 signed in, for metering tests of the whole agent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { EdgeConfigInput } from '../../../../edge/config/edge-config-schema';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../../edge/main';
import type { MeterHealth, MonitoringAnswer } from '../../../../shared/dashboard/api-answers';
import type { SiteInput } from '../../../../shared/site/site-schema';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../../sim/charger/virtual-charger';
import { meterRegisterImage, type SimulatedMeterModel } from '../../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../../sim/meter/modbus-tcp-server';
import { ControlRecorder } from './control-recorder';
import { dashboardSession } from './dashboard-session';

/** One simulated meter: what it measures, as signed amps per phase (import positive), the same on every phase. */
export interface SimulatedMeter {
  readonly meterId: string;
  readonly role: 'grid' | 'sub-distribution' | 'pv-inverter';
  readonly model: SimulatedMeterModel;
  /** Signed current, given the chargers (by id) and what each draws now. */
  readonly amps: (draw: (chargerId: string) => number) => number;
}

export interface MeteredEdge {
  readonly agent: RunningAgent;
  readonly events: ControlRecorder;
  readonly meters: ReadonlyMap<string, ModbusTcpServer>;
  /** A connected virtual charger with a car plugged in and a transaction started. */
  charging(id: string): Promise<VirtualCharger>;
  /** The dashboard's device-monitoring answer (meter health and recent events), signed in as the admin. */
  monitoring(): Promise<MonitoringAnswer>;
  meterHealth(meterId: string): Promise<MeterHealth | undefined>;
  close(): Promise<void>;
}

const POLL = { intervalMs: 200, timeoutMs: 150, retries: 0, backoffInitialMs: 100, backoffMaxMs: 400 };

export async function startMeteredEdge(
  site: SiteInput,
  policy: Partial<PolicyInput>,
  meters: readonly SimulatedMeter[],
): Promise<MeteredEdge> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-metered-edge-'));
  const chargers = new Map<string, VirtualCharger>();
  const draw = (id: string) => chargers.get(id)?.drawAmps ?? 0;
  const servers = new Map<string, ModbusTcpServer>();
  for (const meter of meters) {
    const server = createModbusTcpServer({
      source: meterRegisterImage(meter.model, () => {
        const signed = meter.amps(draw);
        return {
          volts: [230, 230, 230],
          amps: [Math.abs(signed), Math.abs(signed), Math.abs(signed)],
          importWh: 0,
          powerFactor: signed < 0 ? -1 : 1,
        };
      }),
    });
    await server.start();
    servers.set(meter.meterId, server);
  }
  const input: EdgeConfigInput = {
    $schemaVersion: 1,
    site,
    policy: {
      $schemaVersion: 1,
      budget: { unit: 'A', min: 6, max: 48 },
      hysteresis: { stepAmps: 1, minPauseSeconds: 0, minActiveSeconds: 0 },
      failSafe: { connectorAmps: 6 },
      ...policy,
    },
    meters: meters.map((m) => ({
      meterId: m.meterId,
      role: m.role,
      model: m.model,
      connection: { transport: 'tcp', host: '127.0.0.1', port: servers.get(m.meterId)!.port },
      poll: POLL,
    })),
    ocpp: {
      host: '127.0.0.1',
      port: 0,
      basicAuth: false,
      meterSampleIntervalSeconds: 1,
      commandTimeoutMs: 1_000,
      heartbeatIntervalSeconds: 60,
    },
    idTags: { acceptAny: true, accepted: [] },
    control: {
      debounceMs: 20,
      tickMs: 1_000,
      leaseSeconds: 30,
      unresponsiveAfterFailures: 3,
      retryInitialMs: 200,
      retryMaxMs: 1_000,
      saveEnergyEverySeconds: 1,
    },
    dataDir,
    logging: { level: 'silent' },
    dashboard: { enabled: true, host: '127.0.0.1', port: 0 },
  };
  const events = new ControlRecorder();
  const agent = await startAgent(parseEdgeConfig(input, dataDir), {
    logger: pino({ level: 'silent' }),
    observer: events,
  });
  const { monitoring } = dashboardSession(agent, 'metered-edge-admin-password');

  return {
    agent,
    events,
    meters: servers,
    monitoring,
    async charging(id) {
      const charger = new VirtualCharger({ ...DEFAULT_CHARGER, rampDelayMs: 50, id }, agent.ocppUrl, realClock);
      chargers.set(id, charger);
      await charger.connect();
      await charger.plugIn(DEFAULT_CAR);
      if ((await charger.authorizeAndStart('TAG-1')) === undefined)
        throw new Error(`${id} could not start a transaction`);
      return charger;
    },
    async meterHealth(meterId) {
      return (await monitoring()).meters.find((m) => m.id === meterId);
    },
    async close() {
      await Promise.all([...chargers.values()].map((c) => c.close()));
      await agent.stop();
      await Promise.all([...servers.values()].map((s) => s.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
