/**
 * A whole edge agent (startAgent) with its dashboard on a free port, four virtual chargers (sim/charger) connected
 * over OCPP and cars charging on three of them: what the dashboard browser tests look at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../../edge/main';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../../sim/charger/virtual-charger';
import { edgeConfig, passwordOf } from '../../../integration/edge/support/edge-fixture';

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

export async function startDashboardSite(charging: number): Promise<DashboardSite> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-dashboard-'));
  const input = { ...edgeConfig({ chargers: 4, policy: POLICY }, dataDir), dashboard: { host: '127.0.0.1', port: 0 } };
  const agent = await startAgent(parseEdgeConfig(input, dataDir), { logger: pino({ level: 'silent' }) });
  // CP-4 has a second socket the site file does not list (its car uses the first).
  const chargers = ['CP-1', 'CP-2', 'CP-3', 'CP-4'].map(
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
