/**
 * `npm start`: the edge agent on config/demo-site.json with the site simulator playing the demo scenario (virtual
 * chargers over OCPP, an SDM630 over Modbus TCP), synced with the local cloud (cloud/local) and its fleet console,
 * and the agent's own dashboard with a password generated for this run. Loaded by demo/start.ts when `npm start` has
 * no arguments.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pino } from 'pino';
import type { EdgeConfig } from '../edge/config/edge-config-schema';
import { loadEdgeConfig } from '../edge/config/load-config';
import { reportStartError, stopOnSignals } from '../edge/agent-process';
import { startAgent } from '../edge/main';
import { hashPassword } from '../edge/security/password-hash';
import { createSiteSimulator, type SiteSimulator } from '../sim/scenario/site-simulator';
import { AllocationConsole, LEGEND } from './allocation-console';
import { claimDemoDataDir } from './demo-data-dir';
import { demoSimulatorOptions } from './demo-simulator';
import { startDemoCloud, type DemoCloud } from './demo-cloud';

const ROOT = path.resolve(import.meta.dirname, '..');

function simulatorFor(config: EdgeConfig, meterPort: number, console: AllocationConsole): SiteSimulator {
  return createSiteSimulator(demoSimulatorOptions(config, meterPort, console));
}

async function demo(): Promise<void> {
  const configured = loadEdgeConfig(path.join(ROOT, 'config/demo-site.json'));
  const data = claimDemoDataDir(configured.dataDir);
  const loaded: EdgeConfig = { ...configured, dataDir: data.dir };
  const logger = pino({ level: loaded.logging.level }, pino.destination(2));
  const out = new AllocationConsole();
  const meterConfig = loaded.meters[0]!;
  const wantedPort = meterConfig.connection.transport === 'tcp' ? meterConfig.connection.port : 0;
  let simulator = simulatorFor(loaded, wantedPort, out);
  let meterPort = await simulator.startMeter().catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    process.stdout.write(`Modbus port ${wantedPort} is taken; the meter simulator uses a free port instead.\n`);
    simulator = simulatorFor(loaded, 0, out);
    return simulator.startMeter();
  });
  meterPort ??= wantedPort;
  const demoCloud: DemoCloud | undefined = await startDemoCloud(loaded.site.id, logger).catch((error: unknown) => {
    process.stdout.write(
      `The local cloud did not start (${error instanceof Error ? error.message : String(error)}); the agent runs alone.\n`,
    );
    return undefined;
  });
  // The demo has no installer to open a setup link: it makes a password for this run and prints it.
  const dashboardPassword = randomBytes(12).toString('base64url');
  const dashboard = { ...loaded.dashboard, adminPasswordHash: await hashPassword(dashboardPassword) };
  const config: EdgeConfig = {
    ...loaded,
    dashboard,
    ...(demoCloud && { sync: demoCloud.sync }),
    meters: [
      {
        ...meterConfig,
        connection: {
          ...meterConfig.connection,
          ...(meterConfig.connection.transport === 'tcp' && { port: meterPort }),
        },
      },
    ] as EdgeConfig['meters'],
  };
  const agent = await startAgent(config, { logger, observer: out, ocppPortFallback: true }).catch(
    async (error: unknown) => {
      await Promise.all([simulator.stop(), demoCloud?.cloud.stop()]);
      data.remove();
      throw error;
    },
  );
  const cloud = demoCloud?.cloud;
  process.stdout.write(
    `Ampshare demo: site "${config.site.name ?? config.site.id}", ${config.site.chargers.length} chargers, budget ${config.policy.budget.max} ${config.policy.budget.unit}, ${config.policy.control.mode} mode\n` +
      `  OCPP central system  ${agent.ocppUrl}/<chargerId>\n  Modbus TCP meter     127.0.0.1:${meterPort} (simulated SDM630: building load + charger draw)\n` +
      `  data                 ${config.dataDir}\n` +
      (agent.dashboardUrl
        ? `  site dashboard       ${agent.dashboardUrl} (user "admin", password "${dashboardPassword}")\n`
        : '') +
      (cloud
        ? `  fleet console        ${cloud.consoleUrl} (tenant "${cloud.demo.tenantId}", site "${cloud.demo.siteId}")\n  fleet API            ${cloud.apiUrl} (token: ${cloud.demo.token})\n  MQTT broker          ${cloud.mqttUrl} (gateway "${config.sync?.thingName ?? ''}")\n`
        : '') +
      `  ${LEGEND}\n  Ctrl-C stops everything.\n\n`,
  );
  stopOnSignals(async () => {
    await simulator.stop();
    await agent.stop();
    await cloud?.stop();
    data.remove();
  }, logger);
  await simulator.start(agent.ocppUrl);
  void simulator.finished.then(() =>
    process.stdout.write('Scenario finished; the agent keeps running. Ctrl-C stops it.\n'),
  );
}

try {
  await demo();
} catch (error) {
  process.exitCode = reportStartError(error);
}
