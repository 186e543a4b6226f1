/**
 * The writes the control loop makes to its stores and observers, guarded: a failing one (a full or read-only disk, a
 * broken outbox) never throws, and control carries on from memory. Cuts must go out whatever the disk says; one write
 * that throws in the middle of a round would otherwise keep the round's leases from being sent. A failed store write
 * waits in a backlog and is retried on every tick (and before any newer write, so order holds); the first failure of
 * an episode raises `storagePaused`, the landing of the last waiting write `storageRecovered`. Reads are not guarded:
 * a store that cannot be read at start-up stops the start with its error.
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Clock } from '../platform/clock';
import type { AdoptedConnectorStore, ControlObserver, ControlStateStore, SessionStore } from './control-ports';
import { WriteBacklog } from './write-backlog';

/** The slice of a logger the guard needs. */
interface GuardLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** At most one log line per this long for an observer that throws. */
const LOG_EVERY_MS = 60_000;
/**
 * Waiting writes kept at most: one per session start, stop and energy, per connector limit, per adopted connector,
 * plus the allocation and the policy. Ten thousand is thousands of sessions started on a full disk, a few MB.
 */
export const BACKLOG_CAPACITY = 10_000;

export class StorageGuard {
  private count = 0;
  private dropped = 0;
  private pausedAt: number | undefined;
  /** Waiting writes that landed since the episode began. */
  private landed = 0;
  private observerLoggedAt = Number.NEGATIVE_INFINITY;
  private readonly backlog = new WriteBacklog(BACKLOG_CAPACITY);

  constructor(
    private readonly log: GuardLog,
    private readonly clock: Clock,
    private readonly events: ControlObserver,
  ) {}

  /** Store writes that could not be made when asked (each went to the backlog). */
  get failures(): number {
    return this.count;
  }

  /** Writes waiting in the backlog. */
  get waiting(): number {
    return this.backlog.size;
  }

  /** Writes dropped because the backlog was full. */
  get lost(): number {
    return this.dropped;
  }

  /** Makes `write` now, or queues it under `key` (after every waiting write) when it fails or others wait. */
  private run(key: string, what: string, write: () => void, wins: 'latest' | 'first' = 'latest'): void {
    this.runAll(what, write, [[key, write]], wins);
  }

  /** Retries the waiting writes in order (the controller's tick); the last one landing ends the episode. */
  retry(): void {
    if (this.backlog.size === 0) return;
    const { landed, error } = this.backlog.drain();
    this.landed += landed;
    if (error !== undefined || this.pausedAt === undefined) return;
    const at = this.clock.now();
    const pausedAt = this.pausedAt;
    const writes = this.landed;
    this.pausedAt = undefined;
    this.landed = 0;
    this.log.info(
      { pausedForMs: at - pausedAt, writes, failures: this.count, lost: this.dropped },
      'storage recovered: history resumes',
    );
    this.report({ type: 'storageRecovered', at, pausedAt, writes });
  }

  sessions(store: SessionStore): SessionStore {
    return {
      openSessions: () => store.openSessions(),
      startSession: (session, received) =>
        this.run(`session ${session.transactionId} start`, 'start session', () =>
          store.startSession(session, received),
        ),
      // The first stop wins (a charger that lost our answer sends it again), also while it waits for the disk.
      stopSession: (stop, received) =>
        this.run(
          `session ${stop.transactionId} stop`,
          'stop session',
          () => store.stopSession(stop, received),
          'first',
        ),
      // One batch while all is well; one waiting write per transaction once it fails, so each keeps its latest energy.
      saveEnergy: (updates) => {
        if (updates.length === 0) return;
        const each = updates.map((u) => [`session ${u.transactionId} energy`, () => store.saveEnergy([u])] as const);
        this.runAll('save energy', () => store.saveEnergy(updates), each);
      },
    };
  }

  state(store: ControlStateStore): ControlStateStore {
    const limit = (chargerId: string, connectorId: number) => `limit ${formatConnectorRef(chargerId, connectorId)}`;
    return {
      appliedLimits: () => store.appliedLimits(),
      saveAppliedLimit: (applied) =>
        this.run(limit(applied.chargerId, applied.connectorId), 'save applied limit', () =>
          store.saveAppliedLimit(applied),
        ),
      deleteAppliedLimit: (chargerId, connectorId) =>
        this.run(limit(chargerId, connectorId), 'delete applied limit', () =>
          store.deleteAppliedLimit(chargerId, connectorId),
        ),
      lastAllocation: () => store.lastAllocation(),
      saveAllocation: (allocation) => this.run('allocation', 'save allocation', () => store.saveAllocation(allocation)),
      savePolicy: (policy) => this.run('policy', 'save policy', () => store.savePolicy(policy)),
      demandState: () => store.demandState(),
      saveDemandState: (state) => this.run('demand', 'save demand state', () => store.saveDemandState(state)),
    };
  }

  adopted(store: AdoptedConnectorStore): AdoptedConnectorStore {
    const key = (chargerId: string, connectorId: number) => `adopted ${formatConnectorRef(chargerId, connectorId)}`;
    return {
      adoptedConnectors: () => store.adoptedConnectors(),
      saveAdoptedConnector: (connector) =>
        this.run(key(connector.chargerId, connector.connectorId), 'save adopted connector', () =>
          store.saveAdoptedConnector(connector),
        ),
      forgetAdoptedConnector: (chargerId, connectorId) =>
        this.run(key(chargerId, connectorId), 'forget adopted connector', () =>
          store.forgetAdoptedConnector(chargerId, connectorId),
        ),
    };
  }

  /** Observers hold their own undeliverable messages (the outbox keeps them in memory): a throw is logged, not retried. */
  observer(observer: ControlObserver): ControlObserver {
    return { onControlEvent: (event) => this.report(event, observer) };
  }

  private report(event: Parameters<ControlObserver['onControlEvent']>[0], observer = this.events): void {
    try {
      observer.onControlEvent(event);
    } catch (error) {
      const now = this.clock.now();
      if (now - this.observerLoggedAt < LOG_EVERY_MS) return;
      this.observerLoggedAt = now;
      this.log.error({ err: error, event: event.type }, 'control event not delivered to an observer');
    }
  }

  /** Makes `write` now while nothing waits; else (or when it fails) queues `each` behind the waiting writes. */
  private runAll(
    what: string,
    write: () => void,
    each: readonly (readonly [string, () => void])[],
    wins: 'latest' | 'first' = 'latest',
  ): void {
    if (this.backlog.size === 0) {
      try {
        write();
      } catch (error) {
        for (const [key, one] of each) this.queue(key, what, one, wins, error);
      }
      return;
    }
    for (const [key, one] of each) this.queue(key, what, one, wins);
    this.retry();
  }

  /** Puts a write in the backlog and counts it; the first of an episode (its failure `error`) logs and raises the event. */
  private queue(key: string, what: string, write: () => void, wins: 'latest' | 'first', error?: unknown): void {
    this.count++;
    if (!this.backlog.add(key, write, wins)) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1_000 === 0)
        this.log.error({ what, lost: this.dropped }, `storage backlog full (${BACKLOG_CAPACITY} writes): write lost`);
    }
    if (this.pausedAt !== undefined) return;
    const at = this.clock.now();
    this.pausedAt = at;
    const reason = error instanceof Error ? error.message : 'unknown';
    this.log.error(
      { err: error, what },
      'storage unavailable: history paused; control carries on from memory and retries the writes',
    );
    this.report({ type: 'storagePaused', at, reason: reason.slice(0, 200) });
  }
}
