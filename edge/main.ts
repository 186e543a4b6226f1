/**
 * The edge agent's composition root: reads the configuration, builds the store, the central system, the meters,
 * the control loop, (with a `sync` section) the cloud link and (unless switched off) the dashboard, and stops them cleanly. Run alone with `tsx edge/main.ts --config <file>`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { createAllocator } from '../shared/allocation/allocator';
import { AppError } from '../shared/errors';
import { USAGE, parseCliArgs } from './config/cli-args';
import type { ChargerPassword, EdgeConfig } from './config/edge-config-schema';
import { loadEdgeConfig } from './config/load-config';
import type { ControlClock, ControlObserver, LeaseSender } from './control/control-ports';
import { LoadController } from './control/load-controller';
import { LocalIdTags } from './control/local-id-tags';
import { PolicyInForce } from './control/policy-in-force';
import { SiteRuntime } from './control/site-runtime';
import { startDashboard, type RunningDashboard } from './dashboard/dashboard-server';
import { SiteFeed } from './dashboard/live/site-feed';
import { createGridMeter, type GridMeter } from './meter/grid-meter';
import { createModbusSerialTransport } from './meter/modbus-serial-transport';
import { createCentralSystem, type CentralSystem } from './ocpp/central-system-server';
import type { ChargerEventListener } from './ocpp/central-system-ports';
import { hashPassword, verifyPassword } from './ocpp/password-hash';
import { AuthThrottle, type ThrottleBoundary, type ThrottleSettings } from './security/auth-throttle';
import { reportLockouts } from './security/lockout-report';
import { SqliteAdminPasswordStore } from './store/admin-password-store';
import { SqliteAdoptedConnectorStore } from './store/adopted-connector-store';
import { SqliteChargerRegistry } from './store/charger-registry';
import { SqliteControlStateStore } from './store/control-state-store';
import { SqliteSessionStore } from './store/session-store';
import { storageFault } from './store/storage-faults';
import { openStoreDatabase } from './store/store-database';
import { TransactionIdBlocks } from './store/transaction-id-blocks';
import { createCentralSystemCommandExecutor } from './sync/central-system-command-executor';
import { ChargerLifecycleEvents, LIFECYCLE_LIMITS } from './sync/charger-lifecycle-events';
import { ControlOutboxObserver } from './sync/control-outbox-observer';
import { createEdgeSync, type EdgeSync } from './sync/edge-sync';
import type { CommandExecutor, PolicySink } from './sync/sync-ports';

export interface AgentOptions {
  readonly logger: Logger;
  readonly observer?: ControlObserver;
  /** When the configured OCPP port is taken, listen on a free one instead of failing (the demo). */
  readonly ocppPortFallback?: boolean;
}

export interface RunningAgent {
  readonly ocppUrl: string;
  readonly ocppPort: number;
  readonly controller: LoadController;
  readonly centralSystem: CentralSystem;
  /** The cloud link, when the configuration has a `sync` section. */
  readonly sync: EdgeSync | undefined;
  /** The dashboard's address (`http://host:port/`), unless `dashboard.enabled` is false. */
  readonly dashboardUrl: string | undefined;
  /** The one-time link that sets the dashboard's admin password, while there is none. */
  readonly dashboardSetupUrl: string | undefined;
  stop(): Promise<void>;
}

const realClock: ControlClock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/** Starts every part of the agent for one validated configuration. */
export async function startAgent(config: EdgeConfig, options: AgentOptions): Promise<RunningAgent> {
  const { logger } = options;
  const db = openStoreDatabase(config.dataDir);
  let edgeSync: EdgeSync | undefined;
  let dashboard: RunningDashboard | undefined;
  try {
    const registry = new SqliteChargerRegistry(db, config.site.chargers);
    registry.setPasswordHashes(await passwordHashes(config, registry));
    const sessions = new SqliteSessionStore(db);
    const transactionIds = new TransactionIdBlocks(db);
    const state = new SqliteControlStateStore(db);
    const resumed = PolicyInForce.resume(state.policyInForce, config.policy, realClock.now());
    const policy = resumed.policy;
    for (const problem of state.problems) logger.warn(problem, 'stored value ignored');

    // The controller and the central system need each other: the controller sends through whichever is listening.
    const ocpp: { server?: CentralSystem } = {};
    const sender: LeaseSender = {
      sendLease: (chargerId, lease) => ocpp.server!.sendLease(chargerId, lease),
      requestMeterValues: async (chargerId, connectorId) => {
        await ocpp.server!.command(chargerId, 'TriggerMessage', { requestedMessage: 'MeterValues', connectorId });
      },
    };
    // The outbox observer exists before the controller; the policy sink and the command executor are bound once it does.
    let policySink: PolicySink | undefined;
    let executor: CommandExecutor | undefined;
    const syncConfig = config.sync;
    edgeSync = syncConfig && createEdgeSync({
      config: syncConfig, dataDir: config.dataDir, clock: realClock, log: logger.child({ part: 'sync' }), readFile: readFileSync,
      sink: { apply: (p, meta) => policySink!.apply(p, meta), inForce: () => policySink!.inForce(), origin: () => policySink!.origin() },
      executor: { execute: (command) => executor!.execute(command) },
      chargers: config.site.chargers,
    });
    const runtime = new SiteRuntime(config.site, config.control.carResponseMs);
    const toCloud = edgeSync && syncConfig && new ControlOutboxObserver(edgeSync.outbox, {
      site: config.site, telemetryIntervalMs: syncConfig.telemetryIntervalSeconds * 1000, openSessions: () => runtime.openSessions(), log: logger.child({ part: 'sync' }),
    });
    const lifecycle = edgeSync && new ChargerLifecycleEvents(edgeSync.outbox, { ...LIFECYCLE_LIMITS, clock: realClock, log: logger.child({ part: 'sync' }) });
    const local = options.observer;
    const feed = new SiteFeed(runtime);
    // One throttle per sign-in (each with its own settings), both reporting lockouts to the log, the dashboard and the cloud.
    const onLockout = reportLockouts({ log: logger.child({ part: 'security' }), addEvent: (entry) => feed.addEvent(entry), ...(edgeSync && { outbox: edgeSync.outbox }) });
    const throttle = (boundary: ThrottleBoundary, settings: ThrottleSettings) => new AuthThrottle(boundary, settings, { now: () => realClock.now(), onLockout });
    const observer: ControlObserver = {
      onControlEvent(event) {
        local?.onControlEvent(event);
        toCloud?.onControlEvent(event);
        feed.onControlEvent(event);
      },
    };
    const controller = new LoadController(
      { runtime, clock: realClock, sender, sessions, state, adopted: new SqliteAdoptedConnectorStore(db), observer, log: logger.child({ part: 'control' }) },
      policy,
      config.control,
    );
    const policyInForce = new PolicyInForce({ store: state.policyInForce, target: controller, site: config.site, configured: config.policy, clock: realClock, log: logger.child({ part: 'control' }) }, resumed);
    const events: ChargerEventListener = {
      onEvent(event) {
        if (event.type === 'booted') {
          // The boot record (vendor, model, firmware) is history: a full disk must not turn the BootNotification into a CALLERROR.
          try {
            registry.recordBoot(event.chargerId, event);
          } catch (error) {
            logger.warn({ err: error, chargerId: event.chargerId }, 'charger boot not stored: the data disk takes no writes');
          }
        }
        if (event.type === 'connected' || event.type === 'disconnected') logger.info({ chargerId: event.chargerId }, `charger ${event.type}`);
        controller.onEvent(event);
        feed.onEvent(event);
        lifecycle?.onEvent(event);
      },
    };
    const cs = await listenOcpp(config, options, {
      credentials: registry, directory: registry, idTags: new LocalIdTags(config.idTags, () => controller.policy), transactionIds,
      admission: controller, events, logger: logger.child({ part: 'ocpp' }), throttle: throttle('ocpp', config.ocpp.authLockout), failSafeAmps: () => controller.policy.failSafe.connectorAmps, now: () => realClock.now(),
    });
    const meters: GridMeter[] = config.meters.map((meter) =>
      createGridMeter(meter, { transport: createModbusSerialTransport(meter.connection, meter.poll.timeoutMs), now: () => realClock.now(), log: logger.child({ part: 'meter' }) }),
    );
    for (const meter of meters) {
      meter.subscribe((sample) => controller.onMeterSample(sample));
      meter.start();
    }
    ocpp.server = cs;
    controller.start();
    if (edgeSync && toCloud) {
      policySink = policyInForce;
      executor = createCentralSystemCommandExecutor({
        chargers: cs,
        openTransaction: (chargerId, connectorId) => sessions.openSessions().find((s) => s.chargerId === chargerId && s.connectorId === connectorId)?.transactionId,
        reportNow: () => toCloud.reportNow(realClock.now()),
      });
      edgeSync.start();
    }
    const sync = edgeSync;
    if (config.dashboard.enabled) {
      dashboard = await startDashboard(config.dashboard, {
        reader: runtime, control: controller, chargers: registry, commands: cs, cloud: sync, feed, basicAuth: config.ocpp.basicAuth,
        signInThrottle: throttle('dashboard', config.dashboard.signInLockout),
        admin: { store: new SqliteAdminPasswordStore(db), hasher: { hash: hashPassword, verify: (password, hash) => verifyPassword(Buffer.from(password), hash) }, configuredHash: config.dashboard.adminPasswordHash },
        policyInForce, allocate: createAllocator(), clock: realClock, log: logger.child({ part: 'dashboard' }),
      });
    }
    const page = dashboard;
    return {
      ocppUrl: cs.url,
      ocppPort: cs.port,
      controller,
      centralSystem: cs,
      sync,
      dashboardUrl: page?.url,
      dashboardSetupUrl: page?.setupUrl,
      async stop() {
        await page?.close();
        await Promise.all(meters.map((m) => m.stop()));
        await controller.stop();
        lifecycle?.stop();
        await sync?.stop();
        await cs.close();
        db.close();
      },
    };
  } catch (error) {
    await dashboard?.close().catch(() => undefined);
    await edgeSync?.stop().catch(() => undefined);
    db.close();
    // A write at start-up (the id block, the policy) on a full or read-only disk names the folder, not "disk I/O error".
    throw storageFault(error, config.dataDir) ?? error;
  }
}

/**
 * Hashes of every configured password; a stored hash that still matches its clear-text password is kept. A password
 * set on the dashboard stays while the configured entry is still the one it replaced (editing the file wins).
 */
async function passwordHashes(config: EdgeConfig, registry: SqliteChargerRegistry): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const [chargerId, entry] of Object.entries(config.chargerPasswords)) {
    const basis = registry.dashboardPassword(chargerId)?.basis;
    if (basis !== undefined && (await configuredAs(entry, basis))) continue;
    if ('hash' in entry) {
      hashes.set(chargerId, entry.hash);
      continue;
    }
    const stored = registry.passwordHash(chargerId);
    const keep = stored !== undefined && (await verifyPassword(Buffer.from(entry.password), stored));
    hashes.set(chargerId, keep ? stored : await hashPassword(entry.password));
  }
  return hashes;
}

/** True when the configured password is the one stored as `hash`. */
async function configuredAs(entry: ChargerPassword, hash: string): Promise<boolean> {
  return 'hash' in entry ? entry.hash === hash : verifyPassword(Buffer.from(entry.password), hash);
}

async function listenOcpp(config: EdgeConfig, options: AgentOptions, deps: Parameters<typeof createCentralSystem>[0]): Promise<CentralSystem> {
  const { tls: tlsFiles, ...ocpp } = config.ocpp;
  const tls = tlsFiles && { cert: readPem(tlsFiles.certPath, 'ocpp.tls.certPath'), key: readPem(tlsFiles.keyPath, 'ocpp.tls.keyPath') };
  const listen = (port: number) =>
    createCentralSystem(deps, { ...ocpp, port, ...(tls && { tls }), nominalVolts: config.site.nominalVolts });
  try {
    return await listen(ocpp.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (!options.ocppPortFallback) {
      throw new AppError('resource.conflict', `OCPP port ${ocpp.port} on ${ocpp.host} is already in use (ocpp.port)`, [], { cause: error });
    }
    options.logger.warn({ port: ocpp.port }, 'OCPP port taken; listening on a free port instead');
    return listen(0);
  }
}

function readPem(file: string, field: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError('config.invalid', `cannot read ${field} ${file}`, [{ path: field, message: `cannot read ${file}` }], { cause: error });
  }
}

/** Stops the agent on SIGINT or SIGTERM; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Prints a start-up error; bad arguments or configuration exit with 2. */
export function reportStartError(error: unknown): number {
  if (AppError.match(error, 'config.invalid')) {
    process.stderr.write(`ampshare: ${error.details.length > 0 ? 'invalid configuration' : error.message}\n`);
    for (const issue of error.details) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    return 2;
  }
  process.stderr.write(`ampshare: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/** Runs the agent alone for the site in `--config`. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    const args = parseCliArgs(argv);
    if (args.help || args.configFile === undefined) {
      process.stdout.write(`${USAGE}\n`);
      process.exitCode = args.help ? 0 : 2;
      return;
    }
    const config = loadEdgeConfig(args.configFile);
    const logger = pino({ level: config.logging.level });
    const agent = await startAgent(config, { logger });
    logger.info({ ocpp: agent.ocppUrl, dashboard: agent.dashboardUrl, site: config.site.id }, 'edge agent running');
    stopOnSignals(() => agent.stop(), logger);
  } catch (error) {
    process.exitCode = reportStartError(error);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv.slice(2));
