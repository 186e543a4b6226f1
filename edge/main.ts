/**
 * The edge agent's composition root, in phases: open storage, build the adapters, build the control loop, connect
 * (OCPP server, cloud link, dashboard), start. It builds and wires; what each part does lives beside that part.
 */
import { MAX_PEM_MIB, readBoundedFile } from './config/read-bounded-file';
import type { Logger } from 'pino';
import { createAllocator } from '../shared/allocation/allocator';
import { hostInterfaces } from './cluster/host-addresses';
import type { ClusterNode } from './cluster/start-cluster';
import { twoGatewayIdRange } from './cluster/two-gateway-node';
import type { EdgeConfig } from './config/edge-config-schema';
import { bootstrapSite } from './config/site-bootstrap';
import type { DemandAnswer } from '../shared/dashboard/demand-answer';
import type { ControlObserver } from './control/control-ports';
import { LoadController } from './control/load-controller';
import { PolicyInForce } from './control/policy-in-force';
import { SiteRuntime } from './control/site-runtime';
import { SiteChanges } from './dashboard/actions/site-changes';
import { reportSiteChanges } from './dashboard/actions/site-change-report';
import { startDashboard, type RunningDashboard } from './dashboard/dashboard-server';
import { SiteFeed } from './dashboard/live/site-feed';
import { firstPollBoundMs, firstSamples } from './meter/first-samples';
import { createGridMeter } from './meter/grid-meter';
import { toMeterInput } from './meter/grid-meter-sample';
import { METER_MODEL_IDS } from './meter/meter-models';
import { MeterPollers } from './meter/meter-pollers';
import { testReadMeter } from './meter/meter-test-read';
import { createModbusSerialTransport } from './meter/modbus-serial-transport';
import type { CentralSystem } from './ocpp/central-system-contract';
import { ChargerConnections } from './ocpp/charger-connections';
import { SentProfiles } from './ocpp/sent-profiles';
import { feedControl } from './ocpp/control-inputs';
import { OcppLeaseSender } from './ocpp/lease-sender';
import { LocalIdTags } from './ocpp/local-id-tags';
import { listenOcpp } from './ocpp/ocpp-listener';
import { type Clock, systemClock as clock } from './platform/clock';
import { fanOut } from './platform/fan-out';
import { AuthThrottle, type ThrottleBoundary, type ThrottleSettings } from './security/auth-throttle';
import { chargerPasswordHashes } from './security/charger-password-hashes';
import { reportLockouts } from './security/lockout-report';
import { passwordHasher } from './security/password-hash';
import { VerifiedPasswords } from './security/verified-passwords';
import { SqliteAdminPasswordStore } from './store/admin-password-store';
import { SqliteAdoptedConnectorStore } from './store/adopted-connector-store';
import { recordBoots } from './store/boot-recorder';
import { SqliteChargerRegistry } from './store/charger-registry';
import { SqliteControlStateStore } from './store/control-state-store';
import { SqliteSessionHistory } from './store/session-history';
import { SqliteSessionStore } from './store/session-store';
import { SqliteSiteVersionStore } from './store/site-version-store';
import type { StoredValueProblem } from './store/stored-json';
import { recordUnknownBoots, SqliteUnknownChargerStore } from './store/unknown-charger-store';
import { SqliteUpstreamCsmsProfileStore } from './store/upstream-csms-profiles-store';
import { SqliteUpstreamLogAdoption } from './store/upstream-log-adoption';
import { storageFault } from './store/storage-faults';
import { openStoreDatabase } from './store/store-database';
import { TransactionIdBlocks } from './store/transaction-id-blocks';
import { SqliteTransactionExchange } from './store/transaction-exchange-store';
import { createCentralSystemCommandExecutor } from './sync/central-system-command-executor';
import { ChargerLifecycleEvents, LIFECYCLE_LIMITS } from './sync/charger-lifecycle-events';
import { ClusterFiguresReader } from './sync/cluster-figures-reader';
import { ControlOutboxObserver } from './sync/control-outbox-observer';
import type { EdgeSync } from './sync/edge-sync';
import { openSyncStorage } from './sync/sync-storage';
import { CompositeAnswers } from './upstream/composite-answers';
import { csmsCeilings } from './upstream/csms-ceilings';
import { CsmsLimits } from './upstream/csms-limits';
import { csmsTransactions } from './upstream/csms-transactions';
import { startUpstream } from './upstream/start-upstream';
import type { UpstreamGateway } from './upstream/upstream-gateway';
import type { UpstreamLimits } from './upstream/upstream-limits-port';

export interface AgentOptions {
  readonly logger: Logger;
  readonly observer?: ControlObserver;
  /** When the configured OCPP port is taken, listen on a free one instead of failing (the demo). */
  readonly ocppPortFallback?: boolean;
  /** Where the CSMS's own TxProfiles go, with an `upstream` section (default: the agent's CSMS limits, which cap leases). */
  readonly upstreamLimits?: UpstreamLimits;
  /** The clock of the links to the CSMS (timeouts, back-off, cache ages; default the machine's): a soak runs them on virtual time. */
  readonly upstreamClock?: Clock;
}

export interface RunningAgent {
  readonly ocppUrl: string;
  readonly ocppPort: number;
  readonly controller: LoadController;
  /** The policy in force and where it came from (what the dashboard and the cloud's shadow put in force). */
  readonly policyInForce: PolicyInForce;
  readonly centralSystem: CentralSystem;
  /** The links to the operator's CSMS, when the configuration has an `upstream` section. */
  readonly upstream: UpstreamGateway | undefined;
  /** The cloud link, when the configuration has a `sync` section. */
  readonly sync: EdgeSync | undefined;
  /** This agent as a node of its site's cluster, when the configuration has a `cluster` section. */
  readonly cluster: ClusterNode | undefined;
  /** The dashboard's address (`http://host:port/`), unless `dashboard.enabled` is false. */
  readonly dashboardUrl: string | undefined;
  /** The one-time link that sets the dashboard's admin password, while there is none. */
  readonly dashboardSetupUrl: string | undefined;
  stop(): Promise<void>;
}

/** Starts every part of the agent for one validated configuration. */
export async function startAgent(config: EdgeConfig, options: AgentOptions): Promise<RunningAgent> {
  const { logger } = options;
  const log = (part: string) => logger.child({ part });
  // What a failed start-up closes again, newest first.
  const opened: (() => unknown)[] = [];

  // 1. Storage: the agent's store and (with a `sync` section) the outbox, so that everything below can write to them.
  const db = openStoreDatabase(config.dataDir);
  opened.push(() => db.close());
  try {
    // The site in force: the stored version, or the site file's when it changed since it was last imported.
    const siteProblems: StoredValueProblem[] = [];
    const siteVersions = new SqliteSiteVersionStore(db, siteProblems);
    const bootstrap = bootstrapSite(siteVersions, { site: config.site, meters: config.meters }, clock.now());
    for (const problem of siteProblems) logger.warn(problem, 'stored site version ignored');
    const site = bootstrap.version.site;
    logger.info(
      { version: bootstrap.version.version, imported: bootstrap.imported },
      bootstrap.imported ? 'site file imported as the site in force' : 'site version in force resumed',
    );
    const verifiedPasswords = new VerifiedPasswords();
    const registry = new SqliteChargerRegistry(db, site.chargers, verifiedPasswords);
    registry.setPasswordHashes(await chargerPasswordHashes(config.chargerPasswords, registry, verifiedPasswords));
    const sessions = new SqliteSessionStore(db);
    const localIds = new TransactionIdBlocks(
      db,
      config.cluster?.witness === false ? twoGatewayIdRange(config.cluster) : undefined,
    );
    // One node of a cluster hands out ids and serves chargers only while it is the master (docs/cluster.md). Loaded
    // only for a cluster: its etcd client (gRPC, protobuf) costs a single gateway about 20 MB of RSS.
    const cluster: ClusterNode | undefined =
      config.cluster &&
      (await import('./cluster/start-cluster')).createClusterNode(config.cluster, {
        siteId: config.site.id,
        highestUsedBefore: localIds.highestReserved,
        peerSecret: config.cluster.peer && readBoundedFile(config.cluster.peer.secretFile, 1).toString('utf8').trim(),
        log: log('cluster'),
        now: clock.now,
        localIds,
        // A charger whose calls keep failing (unresponsive: maybe a socket left half-open when it moved) is not counted.
        connectedChargers: () => connections.liveness().filter((c) => runtime.link(c.chargerId) === 'online'),
        siteChargerIds: () => runtime.site.chargers.map((c) => c.id),
        failSafeAmps: () => controller.policy.failSafe.connectorAmps,
        leaseSeconds: config.control.leaseSeconds,
        pingIntervalSeconds: config.ocpp.pingIntervalSeconds,
      });
    if (cluster) opened.push(() => cluster.stop());
    const adopted = new SqliteAdoptedConnectorStore(db);
    const admins = new SqliteAdminPasswordStore(db);
    const state = new SqliteControlStateStore(db);
    const resumed = PolicyInForce.resume(state.policyInForce, config.policy, clock.now());
    const policy = resumed.policy;
    for (const problem of state.problems) logger.warn(problem, 'stored value ignored');
    const syncStorage = config.sync && openSyncStorage(config.sync, config.dataDir, clock);
    if (syncStorage) opened.push(() => syncStorage.close());
    const outbox = syncStorage?.outbox;

    // 2. Adapters the control loop talks to and reports to.
    const sentProfiles = new SentProfiles(clock.now);
    const connections: ChargerConnections = new ChargerConnections(cluster?.master?.gate, sentProfiles);
    // Behind an operator's CSMS, its own charging profiles cap what each charger gets, and the allocation knows it.
    const csmsLimits = config.upstream
      ? new CsmsLimits(
          { nominalVolts: config.site.nominalVolts, maxProfilesPerCharger: 32 },
          new SqliteUpstreamCsmsProfileStore(db),
          // In a cluster, a change is in the ledger before the CSMS hears Accepted (docs/cluster.md).
          cluster?.master?.upstreamLimits,
        )
      : undefined;
    csmsLimits?.resume(sessions.openSessions());
    const runtime: SiteRuntime = new SiteRuntime(
      site,
      config.control.carResponseMs,
      (csmsLimits && csmsCeilings(csmsLimits, clock, config.control.leaseSeconds)) ?? cluster?.ceilings,
    );
    // Behind an operator's CSMS the dashboard keeps the link's history too; the loop, which samples it, starts after
    // the links (step 4).
    const feed = new SiteFeed(
      runtime,
      config.upstream ? { csmsHealth: () => upstream?.health(runtime.site.chargers.map((c) => c.id)) } : {},
    );
    const toCloud =
      config.sync &&
      outbox &&
      new ControlOutboxObserver(outbox, {
        site: () => runtime.site,
        telemetryIntervalMs: config.sync.telemetryIntervalSeconds * 1000,
        openSessions: () => runtime.openSessions(),
        log: log('sync'),
        // The links to the operator's CSMS (step 4) exist by the first sample: the loop starts after them.
        csmsHealth: () => upstream?.health(runtime.site.chargers.map((c) => c.id)),
        // The controller reports to this observer, so it is built after it; it runs no round before it exists.
        demandStatus: (): DemandAnswer => controller.demandStatus(),
        ...(cluster && {
          clusterFigures: new ClusterFiguresReader(cluster, log('sync'), clock.now).figures,
          leads: () => cluster.leads(),
        }),
      });
    const lifecycle = outbox && new ChargerLifecycleEvents(outbox, { ...LIFECYCLE_LIMITS, clock, log: log('sync') });
    // One throttle per sign-in (each with its own settings), both reporting lockouts to the log, the dashboard and the cloud.
    const onLockout = reportLockouts({
      log: log('security'),
      addEvent: (entry) => feed.addEvent(entry),
      ...(outbox && { outbox }),
    });
    const throttle = (boundary: ThrottleBoundary, settings: ThrottleSettings) =>
      new AuthThrottle(boundary, settings, { now: clock.now, onLockout });
    // The meters of the version in force; a site change switches them (edge/meter/meter-pollers.ts).
    const meters = new MeterPollers(
      {
        create: (meter) => {
          const link = createModbusSerialTransport(meter.connection, meter.poll.timeoutMs);
          return { meter: createGridMeter(meter, { transport: link, now: clock.now, log: log('meter') }), link };
        },
        onSample: (sample) => controller.onMeterInput(toMeterInput(sample)),
        forget: (meterId, reason) => runtime.forgetMeterReading(meterId, reason),
      },
      bootstrap.version.meters,
    );

    // 3. The control loop.
    const leases = new OcppLeaseSender(
      connections,
      { nominalVolts: config.site.nominalVolts, commandTimeoutMs: config.ocpp.commandTimeoutMs },
      clock,
      csmsLimits,
      log('upstream'),
    );
    const controller = new LoadController(
      {
        runtime,
        clock,
        sessions,
        state,
        adopted,
        log: log('control'),
        // In a cluster, each lease is recorded in the ledger before it goes out (the next master reserves it).
        // Without a witness, each lease above the fail-safe asks the two-gateway rule again as it leaves.
        sender: cluster?.master?.recordLeases(leases) ?? cluster?.majorityLeases?.(leases) ?? leases,
        observer: fanOut('onControlEvent', [
          options.observer,
          toCloud,
          feed,
          csmsLimits && csmsTransactions(csmsLimits),
        ]),
      },
      policy,
      config.control,
    );
    const policyInForce = new PolicyInForce(
      {
        store: state.policyInForce,
        target: controller,
        // What a policy may name: the site version in force, whichever it is now.
        get site() {
          return runtime.configuredSite;
        },
        configured: config.policy,
        clock,
        log: log('control'),
        ...(cluster?.master && { replicate: cluster.master.recordPolicy }),
      },
      resumed,
    );

    // 4. Connect: chargers and meters feed the loop (through the operator's CSMS, when there is one); the cloud link and
    // the dashboard act on it.
    const upstream: UpstreamGateway | undefined =
      config.upstream &&
      csmsLimits &&
      startUpstream(config.upstream, {
        db,
        connections,
        ocpp: config.ocpp,
        clock: options.upstreamClock ?? clock,
        log: log('upstream'),
        limits: options.upstreamLimits ?? csmsLimits,
        report: { addEvent: (entry) => feed.addEvent(entry), outbox },
        // One connection per charger identity at the CSMS: a cluster's links are the master's (docs/cluster.md).
        linksFollowLeadership: cluster?.master !== undefined,
        ...(cluster?.master && { replica: cluster.master.upstreamReplica }),
        composite: new CompositeAnswers({
          site: () => runtime.site,
          csms: csmsLimits,
          leaseInForce: (chargerId, connectorId, now) => leases.leaseInForce(chargerId, connectorId, now),
          unleasedAmps: (chargerId) =>
            runtime.failSafeInstalled(chargerId) ? controller.policy.failSafe.connectorAmps : undefined,
          nominalVolts: config.site.nominalVolts,
          clock,
        }),
      });
    if (upstream) opened.push(() => upstream.close());
    const unknownChargers = new SqliteUnknownChargerStore(db);
    const cs = await listenOcpp(
      {
        connections,
        credentials: registry,
        directory: registry,
        idTags: new LocalIdTags(config.idTags, () => controller.policy),
        transactionIds: cluster?.transactionIds ?? localIds,
        admission: controller,
        readiness: controller,
        events: fanOut('onEvent', [
          recordBoots(registry, logger),
          recordUnknownBoots(unknownChargers, registry, logger),
          feedControl(controller),
          feed,
          lifecycle,
        ]),
        unknownChargers,
        logger: log('ocpp'),
        throttle: throttle('ocpp', config.ocpp.authLockout),
        failSafeAmps: () => controller.policy.failSafe.connectorAmps,
        now: clock.now,
        ...(upstream && { upstream }),
        ...(cluster?.master && { cluster: cluster.master }),
      },
      config.ocpp,
      { nominalVolts: config.site.nominalVolts, portFallback: options.ocppPortFallback ?? false },
    );
    opened.push(() => cs.close());
    // Loaded only with a `sync` section: the MQTT client is about 18 MB of memory a site without the cloud never uses.
    const sync =
      config.sync &&
      syncStorage &&
      toCloud &&
      (await import('./sync/edge-sync')).createEdgeSync({
        config: config.sync,
        storage: syncStorage,
        clock,
        log: log('sync'),
        readFile: (file) => readBoundedFile(file, MAX_PEM_MIB),
        // In a cluster the site's one gateway registration is held by the node that leads (docs/cluster.md).
        linkFollowsLeadership: cluster !== undefined,
        chargers: () => runtime.site.chargers,
        sink: policyInForce,
        executor: createCentralSystemCommandExecutor({
          chargers: cs,
          openTransaction: (chargerId, connectorId) =>
            sessions.openSessions().find((s) => s.chargerId === chargerId && s.connectorId === connectorId)
              ?.transactionId,
          reportNow: () => toCloud.reportNow(clock.now()),
        }),
      });
    const siteChanges = new SiteChanges({
      versions: siteVersions,
      context: () => ({ policy: controller.policy, openSessions: runtime.openSessions() }),
      apply: async (version) => {
        const before = new Set(runtime.site.chargers.map((c) => c.id));
        await meters.switchTo(version.meters, () => controller.replaceSite(version.site));
        registry.setSite(version.site.chargers);
        // A charger that joined (held Pending until now) or left connects again, to be answered as it now is.
        const after = new Set(version.site.chargers.map((c) => c.id));
        for (const id of cs.connectedChargers()) if (before.has(id) !== after.has(id)) cs.reconnect(id);
      },
      report: reportSiteChanges({ log: log('dashboard'), addEvent: (entry) => feed.addEvent(entry), outbox }),
      now: clock.now,
      // In a cluster, a change is recorded in the ledger before it is saved (the next master has it).
      ...(cluster?.master && { replica: cluster.master.siteReplica }),
    });
    const dashboard: RunningDashboard | undefined = config.dashboard.enabled
      ? await startDashboard(config.dashboard, {
          reader: runtime,
          meterFaults: meters,
          control: controller,
          // In a cluster, a password or a switch is recorded in the ledger before it takes effect (the next master has it).
          chargers: cluster?.master?.recordChargers(registry) ?? registry,
          commands: cs,
          sentProfiles,
          cloud: sync,
          upstream,
          cluster,
          hostInterfaces,
          feed,
          sessions: new SqliteSessionHistory(db),
          basicAuth: config.ocpp.basicAuth,
          signInThrottle: throttle('dashboard', config.dashboard.signInLockout),
          admin: { store: admins, hasher: passwordHasher, configuredHash: config.dashboard.adminPasswordHash },
          policyInForce,
          allocate: createAllocator(),
          clock,
          log: log('dashboard'),
          siteSetup: {
            changes: siteChanges,
            unknown: unknownChargers,
            meters: {
              models: METER_MODEL_IDS,
              list: () => siteChanges.inForce().meters,
              testRead: (meter) => testReadMeter(meter, meters.serialHolder(meter.connection)),
            },
          },
        })
      : undefined;
    if (dashboard) opened.push(() => dashboard.close());

    // 5. Start.
    opened.push(
      () => controller.stop(),
      () => meters.stop(),
    );
    const polled = firstSamples(meters.meters(), firstPollBoundMs(bootstrap.version.meters), clock);
    meters.start();
    await polled;
    controller.start();
    // The cloud's parts first: in a cluster the link opens once the node leads, which may be as soon as it campaigns.
    sync?.start();
    cluster?.start({
      connections,
      sessions,
      control: controller,
      policy: policyInForce,
      exchange: new SqliteTransactionExchange(db),
      ocppPort: cs.port,
      outbox,
      chargers: registry,
      site: siteChanges,
      cloudLink: sync,
      csmsLinks: upstream && { openLink: () => upstream.openLinks(), closeLink: () => upstream.closeLinks() },
      upstreamLog: upstream && new SqliteUpstreamLogAdoption(db),
      csmsLimits,
    });
    return {
      ocppUrl: cs.url,
      ocppPort: cs.port,
      controller,
      policyInForce,
      centralSystem: cs,
      upstream,
      sync,
      cluster,
      dashboardUrl: dashboard?.url,
      dashboardSetupUrl: dashboard?.setupUrl,
      async stop() {
        // The next master takes over at once, instead of when this node's lease runs out.
        await cluster?.stop();
        await dashboard?.close();
        await meters.stop();
        await controller.stop();
        lifecycle?.stop();
        if (sync) await sync.stop();
        else syncStorage?.close();
        await cs.close();
        await upstream?.close();
        db.close();
      },
    };
  } catch (error) {
    for (const close of opened.reverse()) await closeQuietly(close);
    // A write at start-up (the id block, the policy) on a full or read-only disk names the folder, not "disk I/O error".
    throw storageFault(error, config.dataDir) ?? error;
  }
}

async function closeQuietly(close: () => unknown): Promise<void> {
  try {
    await close();
  } catch {
    // Start-up failed already: that error is the one to report.
  }
}
