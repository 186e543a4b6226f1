/** A load controller on a manual clock with real SQLite stores in a temp dir and a scripted lease sender. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PolicySchema, type PolicyInput } from '../../../../shared/policy/policy-schema';
import { SiteSchema, type SiteInput } from '../../../../shared/site/site-schema';
import type { ChargerTime } from '../../../../edge/control/charger-time';
import type { ControlObserver, LeaseOutcome, LeaseRequest, LeaseSender } from '../../../../edge/control/control-ports';
import type { ControlEvent, ControlEventType } from '../../../../edge/control/control-events';
import { LoadController } from '../../../../edge/control/load-controller';
import type { ControlLog, LoadControllerSettings } from '../../../../edge/control/load-controller-settings';
import { SiteRuntime } from '../../../../edge/control/site-runtime';
import { SqliteAdoptedConnectorStore } from '../../../../edge/store/adopted-connector-store';
import { SqliteControlStateStore } from '../../../../edge/store/control-state-store';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { ManualClock } from '../../../../sim/charger/sim-clock';

/** A charger time that passed the clock check, received when it says. */
export const onTime = (at: number): ChargerTime => ({ at, receivedAt: at, source: 'charger' });

export type LeaseResult = LeaseOutcome;
export const ACCEPTED: LeaseResult = { kind: 'accepted' };
export const REJECTED: LeaseResult = { kind: 'rejected' };
export const TIMEOUT: LeaseResult = { kind: 'timeout' };

export interface SentLease {
  readonly chargerId: string;
  readonly lease: LeaseRequest;
  readonly at: number;
  /** Resolves the call, when the answer was held back. */
  readonly answer: (result: LeaseResult) => void;
  answered: boolean;
}

/** Records every lease; answers with `respond`, or holds the answer back when it returns undefined. */
export class ScriptedLeaseSender implements LeaseSender {
  readonly sent: SentLease[] = [];
  readonly sampleRequests: { chargerId: string; connectorId: number; at: number }[] = [];
  respond: (chargerId: string, lease: LeaseRequest) => LeaseResult | undefined = () => ACCEPTED;
  readonly holds: { chargerId: string; holdSeconds: number; at: number }[] = [];
  /** Chargers refuse the idle hold unless a test says otherwise: they keep the fail-safe rules those tests check. */
  respondHold: (chargerId: string) => LeaseResult = () => REJECTED;
  /** The leases the loop said were accepted before it started (`restored`). */
  readonly restoredLeases: { chargerId: string; lease: LeaseRequest; expiresAt: number }[] = [];

  constructor(private readonly clock: ManualClock) {}

  restored(chargerId: string, lease: LeaseRequest, expiresAt: number): void {
    this.restoredLeases.push({ chargerId, lease, expiresAt });
  }

  requestMeterValues(chargerId: string, connectorId: number): Promise<void> {
    this.sampleRequests.push({ chargerId, connectorId, at: this.clock.now() });
    return Promise.resolve();
  }

  sendIdleHold(chargerId: string, holdSeconds: number): Promise<LeaseResult> {
    this.holds.push({ chargerId, holdSeconds, at: this.clock.now() });
    return Promise.resolve(this.respondHold(chargerId));
  }

  sendLease(chargerId: string, lease: LeaseRequest): Promise<LeaseResult> {
    return new Promise((resolve) => {
      const entry: SentLease = {
        chargerId,
        lease,
        at: this.clock.now(),
        answered: false,
        answer: (result) => {
          entry.answered = true;
          resolve(result);
        },
      };
      this.sent.push(entry);
      const result = this.respond(chargerId, lease);
      if (result !== undefined) entry.answer(result);
    });
  }
}

export class EventLog implements ControlObserver {
  readonly events: ControlEvent[] = [];
  onControlEvent(event: ControlEvent): void {
    this.events.push(event);
  }
  of<T extends ControlEventType>(type: T): Extract<ControlEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ControlEvent, { type: T }> => e.type === type);
  }
}

export const SETTINGS: LoadControllerSettings = {
  debounceMs: 200,
  tickMs: 5_000,
  leaseSeconds: 60,
  unresponsiveAfterFailures: 2,
  retryInitialMs: 1_000,
  retryMaxMs: 8_000,
  saveEnergyEverySeconds: 30,
  carResponseMs: 5_000,
};

export const silentLog = { info: () => {}, warn: () => {}, error: () => {} };

export function testSite(chargers: number, overrides: Partial<SiteInput> = {}): SiteInput {
  return {
    $schemaVersion: 1,
    id: 'site',
    circuits: [{ id: 'main', parent: null, fuseAmps: 63 }],
    chargers: Array.from({ length: chargers }, (_, i) => ({
      id: `CP-${i + 1}`,
      circuit: 'main',
      phases: 3 as const,
      maxAmps: 32,
    })),
    ...overrides,
  };
}

export function testPolicy(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    $schemaVersion: 1,
    budget: { unit: 'A', min: 6, max: 32 },
    hysteresis: { stepAmps: 1, minPauseSeconds: 0, minActiveSeconds: 0 },
    ...overrides,
  };
}

export interface Harness {
  readonly clock: ManualClock;
  readonly sender: ScriptedLeaseSender;
  readonly log: EventLog;
  readonly controller: LoadController;
  readonly runtime: SiteRuntime;
  readonly dir: string;
  readonly db: StoreDatabase;
  /** Moves the clock `ms` forward in small steps, letting every due timer and round run (answers held back stay held). */
  settle(ms?: number): Promise<void>;
  /** Stops the controller; the data directory stays for a restart. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export function startHarness(
  site: SiteInput,
  policy: PolicyInput,
  opts: {
    dir?: string;
    clock?: ManualClock;
    settings?: Partial<LoadControllerSettings>;
    connected?: boolean;
    log?: ControlLog;
    /** What the OCPP layer tells the loop before it starts (the agent's central system opens first). */
    beforeStart?: (controller: LoadController) => void;
  } = {},
): Harness {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'ampshare-control-'));
  const clock = opts.clock ?? new ManualClock();
  const db: StoreDatabase = openStoreDatabase(dir);
  const sender = new ScriptedLeaseSender(clock);
  const log = new EventLog();
  const runtime = new SiteRuntime(SiteSchema.parse(site), { ...SETTINGS, ...opts.settings }.carResponseMs);
  const controller = new LoadController(
    {
      runtime,
      clock,
      sender,
      sessions: new SqliteSessionStore(db),
      state: new SqliteControlStateStore(db),
      adopted: new SqliteAdoptedConnectorStore(db),
      observer: log,
      log: opts.log ?? silentLog,
    },
    PolicySchema.parse(policy),
    { ...SETTINGS, ...opts.settings },
  );
  opts.beforeStart?.(controller);
  controller.start();
  // Chargers that never connected are offline and reserved at their fail-safe: connect them, unless a test wants that.
  if (opts.connected ?? true)
    for (const charger of runtime.site.chargers)
      controller.onChargerInput({ type: 'connected', chargerId: charger.id, at: clock.now() });
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  const settle = async (ms = SETTINGS.debounceMs) => {
    const end = clock.now() + ms;
    do {
      clock.advance(Math.min(50, end - clock.now()));
      for (let i = 0; i < 3; i++) await flush();
    } while (clock.now() < end);
  };
  const stop = async () => {
    await controller.stop();
    db.close();
  };
  return {
    clock,
    sender,
    log,
    controller,
    runtime,
    dir,
    db,
    settle,
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Brings a charger online with a transaction on connector 1, as the OCPP layer would tell it. */
export function plugIn(h: Harness, chargerId: string, transactionId: number, idTag = 'TAG'): void {
  const at = h.clock.now();
  h.controller.onChargerInput({ type: 'connected', chargerId, at });
  h.controller.onChargerInput({ type: 'status', chargerId, at, connectorId: 1, status: 'Preparing' });
  h.controller.onChargerInput({
    type: 'transactionStarted',
    chargerId,
    at,
    connectorId: 1,
    transactionId,
    idTag,
    status: 'Accepted',
    meterStartWh: 0,
    startedAt: onTime(at),
  });
}
