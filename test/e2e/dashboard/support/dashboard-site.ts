/**
 * A whole edge agent (startAgent) with its dashboard on a free port, four virtual chargers (sim/charger) connected
 * over OCPP and cars charging on some of them: what the dashboard browser tests look at. With `demand`, a Modbus TCP
 * grid meter (sim/meter) reads the building plus the cars, the control is dynamic and peak-demand control is on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { DemandState } from '../../../../shared/demand/demand-state';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import { SqliteControlStateStore } from '../../../../edge/store/control-state-store';
import { openStoreDatabase } from '../../../../edge/store/store-database';
import { meterRegisterImage } from '../../../../sim/meter/meter-register-image';
import { createModbusTcpServer } from '../../../../sim/meter/modbus-tcp-server';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../../edge/main';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../../sim/charger/virtual-charger';
import { edgeConfig, passwordOf } from '../../../integration/edge/support/edge-fixture';

export interface DemandSiteOptions {
  /** The building's own load on each phase (A) at each poll, beside the cars. */
  readonly buildingAmps: () => number;
  readonly demandControl: PolicyInput['demandControl'];
  /** What the agent finds in its store when it starts (the count of a period, the months' peaks), as after a restart. */
  readonly stored?: (now: number) => DemandState;
}

export interface DashboardSite {
  readonly agent: RunningAgent;
  readonly url: string;
  readonly setupUrl: string;
  readonly chargers: readonly VirtualCharger[];
  /** Plugs a car in on `charger` and starts charging. */
  startSession(charger: VirtualCharger, idTag?: string): Promise<void>;
  stop(): Promise<void>;
}

/** 48 A shared by the cars; CP-1's connector is in priority level 5, which matters once the distribution is `priority`. */
const POLICY: Partial<PolicyInput> = { distribution: 'equal', priorityLevels: [{ level: 5, connectors: ['CP-1/1'] }] };

/** The grid meter of a `demand` site: the building plus what the cars draw, on every phase; no import register. */
async function gridMeter(buildingAmps: () => number, chargers: () => readonly VirtualCharger[]) {
  const amps = () => buildingAmps() + chargers().reduce((sum, c) => sum + c.drawAmps, 0);
  const meter = createModbusTcpServer({
    source: meterRegisterImage('eastron-sdm630', () => ({
      volts: [230, 230, 230],
      amps: [amps(), amps(), amps()],
      importWh: 0,
    })),
  });
  return { meter, port: await meter.start() };
}

/** With `meterPort` and no `demand`, the root circuit's grid meter is read there: where nothing listens, a meter the agent cannot reach. */
export async function startDashboardSite(
  charging: number,
  demand?: DemandSiteOptions,
  meterPort?: number,
): Promise<DashboardSite> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-dashboard-'));
  let chargers: VirtualCharger[] = [];
  const grid = demand && (await gridMeter(demand.buildingAmps, () => chargers));
  const policy: Partial<PolicyInput> = demand
    ? { ...POLICY, control: { mode: 'dynamic' }, demandControl: demand.demandControl }
    : POLICY;
  if (demand?.stored) {
    const db = openStoreDatabase(dataDir);
    new SqliteControlStateStore(db).saveDemandState(demand.stored(Date.now()));
    db.close();
  }
  const input = {
    ...edgeConfig({ chargers: 4, policy, meterPort: grid?.port ?? meterPort }, dataDir),
    dashboard: { host: '127.0.0.1', port: 0 },
  };
  const agent = await startAgent(parseEdgeConfig(input, dataDir), { logger: pino({ level: 'silent' }) });
  // CP-4 has a second socket the site file does not list (its car uses the first).
  chargers = ['CP-1', 'CP-2', 'CP-3', 'CP-4'].map(
    (id) =>
      new VirtualCharger(
        {
          ...DEFAULT_CHARGER,
          rampDelayMs: 50,
          id,
          password: passwordOf(id),
          ...(id === 'CP-4' && { numberOfConnectors: 2 }),
        },
        agent.ocppUrl,
        realClock,
      ),
  );
  const startSession = async (charger: VirtualCharger, idTag = 'TAG-1') => {
    await charger.plugIn(DEFAULT_CAR);
    if ((await charger.authorizeAndStart(idTag)) === undefined) throw new Error(`${idTag} was refused`);
  };
  await Promise.all(chargers.map((c) => c.connect()));
  for (const charger of chargers.slice(0, charging)) await startSession(charger);
  if (agent.dashboardUrl === undefined || agent.dashboardSetupUrl === undefined)
    throw new Error('the agent started without its dashboard or setup link');
  return {
    agent,
    url: agent.dashboardUrl,
    setupUrl: agent.dashboardSetupUrl,
    chargers,
    startSession,
    stop: async () => {
      await Promise.all(chargers.map((c) => c.close()));
      await agent.stop();
      await grid?.meter.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
