/**
 * The dashboard app in-process (`app.request()`), over a real site runtime, a real SQLite store and the real
 * allocator; the control loop's and the central system's ports are small fakes of our own that record what they get.
 */
import { hostInterfaces } from '../../../../edge/cluster/host-addresses';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allocate, createAllocator } from '../../../../shared/allocation/allocator';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import { PolicySchema, type Policy } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { SignInLockoutSchema } from '../../../../edge/config/edge-config-schema';
import { DemandControl } from '../../../../edge/control/demand-control';
import { bootstrapSite } from '../../../../edge/config/site-bootstrap';
import { SiteChanges } from '../../../../edge/dashboard/actions/site-changes';
import { reportSiteChanges } from '../../../../edge/dashboard/actions/site-change-report';
import { PolicyInForce } from '../../../../edge/control/policy-in-force';
import { SiteRuntime } from '../../../../edge/control/site-runtime';
import { createDashboardApp } from '../../../../edge/dashboard/dashboard-app';
import type { DashboardAssets } from '../../../../edge/dashboard/http/dashboard-assets';
import type { ChargerCommands, ControlHandle } from '../../../../edge/dashboard/dashboard-ports';
import { createDashboardServices, type DashboardServices } from '../../../../edge/dashboard/dashboard-services';
import { SiteFeed } from '../../../../edge/dashboard/live/site-feed';
import { METER_MODEL_IDS } from '../../../../edge/meter/meter-models';
import { testReadMeter } from '../../../../edge/meter/meter-test-read';
import { hashPassword, verifyPassword } from '../../../../edge/security/password-hash';
import { AuthThrottle } from '../../../../edge/security/auth-throttle';
import { reportLockouts } from '../../../../edge/security/lockout-report';
import { SqliteAdminPasswordStore } from '../../../../edge/store/admin-password-store';
import { SqliteChargerRegistry } from '../../../../edge/store/charger-registry';
import { SqliteSessionHistory } from '../../../../edge/store/session-history';
import { SqliteControlStateStore } from '../../../../edge/store/control-state-store';
import { SentProfiles } from '../../../../edge/ocpp/sent-profiles';
import { SqliteSiteVersionStore } from '../../../../edge/store/site-version-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUnknownChargerStore } from '../../../../edge/store/unknown-charger-store';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase } from '../../../../edge/sync/outbox-database';
import { ManualClock } from '../../../../sim/charger/sim-clock';

export const ORIGIN = 'http://dashboard.test';
export const ADMIN_PASSWORD = 'a long admin password';
/** Cheap scrypt so that the tests stay fast; the agent uses the default cost. */
const FAST = { N: 1024, r: 8, p: 1 };

export const SITE = SiteSchema.parse({
  $schemaVersion: 1,
  id: 'unit-site',
  circuits: [{ id: 'main', parent: null, fuseAmps: 63 }],
  chargers: [
    { id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 },
    { id: 'CP-2', circuit: 'main', phases: 3, maxAmps: 32 },
  ],
});
export const POLICY: Policy = PolicySchema.parse({
  $schemaVersion: 1,
  budget: { unit: 'A', min: 0, max: 40 },
  vip: { enabled: true },
});

export interface SentCommand {
  readonly chargerId: string;
  readonly name: string;
  readonly request: unknown;
}

export interface Harness {
  readonly services: DashboardServices;
  /** The feed the dashboard reads, as the agent feeds it (control events, charger events). */
  readonly feed: SiteFeed;
  readonly clock: ManualClock;
  readonly runtime: SiteRuntime;
  readonly registry: SqliteChargerRegistry;
  /** The agent's store, for tests that make it refuse writes (a full or read-only disk). */
  readonly db: StoreDatabase;
  readonly control: ControlHandle & { readonly applied: Policy[]; readonly demand: DemandControl };
  readonly commands: SentCommand[];
  readonly logs: { level: string; data: Record<string, unknown>; message: string }[];
  /** The site's versions and the chargers waiting for adoption, as the site setup routes use them. */
  readonly siteVersions: SqliteSiteVersionStore;
  readonly unknownChargers: SqliteUnknownChargerStore;
  /** Where the cloud's events go (a real outbox). */
  readonly outbox: Outbox;
  /** The app itself, for serving it on a real socket (`env` carries the client's socket, as @hono/node-server passes it). */
  readonly fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  /** Calls the app as a browser on the same origin would (JSON body, cookie, CSRF header when given). */
  call(
    method: string,
    url: string,
    options?: { body?: unknown; rawBody?: string; cookie?: string; csrf?: string; origin?: string },
  ): Promise<Response>;
  /** Sets the admin password through the setup token and returns the session cookie and CSRF token. */
  signIn(): Promise<{ cookie: string; csrf: string }>;
  close(): void;
}

export interface HarnessOptions {
  /** Host names the dashboard answers to besides IP literals and localhost (the harness's own origin is always one). */
  readonly allowedHosts?: readonly string[];
  /** The page's files; none by default. */
  readonly assets?: DashboardAssets;
}

export function startHarness(options: HarnessOptions = {}): Harness {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-dashboard-unit-'));
  const db: StoreDatabase = openStoreDatabase(dir);
  const clock = new ManualClock();
  const runtime = new SiteRuntime(SITE);
  for (const charger of SITE.chargers) runtime.setLink(charger.id, 'online');
  const registry = new SqliteChargerRegistry(db, SITE.chargers);
  const applied: Policy[] = [];
  let policy = POLICY;
  let allocation: Allocation | undefined = allocate(runtime.snapshot(undefined), policy, clock.now());
  const demand = new DemandControl({
    state: new SqliteControlStateStore(db),
    clock,
    log: { info() {}, warn() {} },
    timezone: () => SITE.timezone,
    nominalVolts: SITE.nominalVolts,
  });
  const control = {
    demand,
    demandStatus: () => demand.status(clock.now(), policy),
    applied,
    get policy() {
      return policy;
    },
    get allocation() {
      return allocation;
    },
    snapshot: () => runtime.snapshot(allocation),
    setPolicy(next: Policy) {
      policy = next;
      applied.push(next);
      allocation = allocate(runtime.snapshot(allocation), next, clock.now());
    },
  };
  const commands: SentCommand[] = [];
  const chargerCommands: ChargerCommands = {
    isConnected: () => true,
    command: (chargerId, name, request) => {
      commands.push({ chargerId, name, request });
      return Promise.resolve({ kind: 'accepted', response: { status: 'Accepted' } } as never);
    },
  };
  const logs: Harness['logs'] = [];
  const log = (level: string) => (data: object, message: string) =>
    void logs.push({ level, data: data as Record<string, unknown>, message });
  const httpLog = { info: log('info'), warn: log('warn'), error: log('error') };
  const policyStore = new SqliteControlStateStore(db).policyInForce;
  const policyInForce = new PolicyInForce(
    { store: policyStore, target: control, site: SITE, configured: POLICY, clock, log: httpLog },
    PolicyInForce.resume(policyStore, POLICY, clock.now()),
  );
  const feed = new SiteFeed(runtime);
  const siteVersions = new SqliteSiteVersionStore(db, []);
  bootstrapSite(siteVersions, { site: SITE, meters: [] }, clock.now());
  const unknownChargers = new SqliteUnknownChargerStore(db);
  const outboxDb = openOutboxDatabase(dir);
  const outbox = new Outbox(outboxDb, { siteId: SITE.id, maxBytes: 1024 ** 2, now: () => clock.now() });
  const siteChanges = new SiteChanges({
    versions: siteVersions,
    context: () => ({ policy, openSessions: runtime.openSessions() }),
    apply: (version) => {
      runtime.replaceSite(version.site);
      registry.setSite(version.site.chargers);
      return Promise.resolve();
    },
    report: reportSiteChanges({ log: httpLog, addEvent: (entry) => feed.addEvent(entry), outbox }),
    now: () => clock.now(),
  });
  const onLockout = reportLockouts({ log: httpLog, addEvent: (entry) => feed.addEvent(entry) });
  const signInThrottle = new AuthThrottle('dashboard', SignInLockoutSchema.parse({}), {
    now: () => clock.now(),
    onLockout,
  });
  const services = createDashboardServices(
    {
      reader: runtime,
      // The harness's site polls no meter: none has a fault of its own.
      meterFaults: { fault: () => undefined },
      control,
      chargers: registry,
      commands: chargerCommands,
      sentProfiles: new SentProfiles(() => clock.now()),
      cloud: undefined,
      feed,
      sessions: new SqliteSessionHistory(db),
      basicAuth: true,
      signInThrottle,
      hostInterfaces,
      admin: {
        store: new SqliteAdminPasswordStore(db),
        hasher: { hash: (p) => hashPassword(p, FAST), verify: (p, h) => verifyPassword(Buffer.from(p), h) },
        configuredHash: undefined,
      },
      policyInForce,
      allocate: createAllocator(),
      clock,
      log: httpLog,
      siteSetup: {
        changes: siteChanges,
        unknown: unknownChargers,
        meters: { models: METER_MODEL_IDS, list: () => siteChanges.inForce().meters, testRead: testReadMeter },
      },
    },
    {
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      host: '127.0.0.1',
      allowedHosts: [new URL(ORIGIN).hostname, ...(options.allowedHosts ?? [])],
    },
  );
  const app = createDashboardApp(services, options.assets ?? { get: () => Promise.resolve({ kind: 'notFound' }) });
  const call: Harness['call'] = (method, url, options = {}) => {
    const headers: Record<string, string> = { Origin: options.origin ?? ORIGIN };
    if (options.body !== undefined || options.rawBody !== undefined) headers['Content-Type'] = 'application/json';
    if (options.cookie) headers.Cookie = options.cookie;
    if (options.csrf) headers['X-CSRF-Token'] = options.csrf;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    return Promise.resolve(app.request(`${ORIGIN}${url}`, { method, headers, ...(body !== undefined && { body }) }));
  };
  return {
    services,
    feed,
    clock,
    runtime,
    registry,
    db,
    control,
    commands,
    logs,
    siteVersions,
    unknownChargers,
    outbox,
    call,
    fetch: (request, env) => app.fetch(request, env),
    async signIn() {
      const token = services.account.issueSetupToken()!;
      const response = await call('POST', '/api/setup', { body: { token, password: ADMIN_PASSWORD } });
      const cookie = (response.headers.get('Set-Cookie') ?? '').split(';')[0]!;
      const { csrfToken } = (await response.json()) as { csrfToken: string };
      return { cookie, csrf: csrfToken };
    },
    close() {
      outboxDb.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
