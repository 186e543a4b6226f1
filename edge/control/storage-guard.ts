/**
 * The writes the control loop makes to its stores and observers, guarded: a failing one (a full or read-only disk, a
 * broken outbox) is logged and counted, and control carries on from memory. Cuts must go out whatever the disk says;
 * one write that throws in the middle of a round would otherwise keep the round's leases from being sent. Reads are
 * not guarded: a store that cannot be read at start-up stops the start with its error.
 */
import type { AdoptedConnectorStore, ControlClock, ControlObserver, ControlStateStore, SessionStore } from './control-ports';

/** The slice of a logger the guard needs. */
interface GuardLog {
  error(data: object, message: string): void;
}

/** At most one log line per this long: a full disk fails every write. */
const LOG_EVERY_MS = 60_000;

export class StorageGuard {
  private count = 0;
  private loggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: GuardLog,
    private readonly clock: ControlClock,
  ) {}

  /** Writes that failed since start. */
  get failures(): number {
    return this.count;
  }

  /** Runs `write`; a failure is counted and logged (at most once a minute), never thrown. */
  run(what: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      this.count++;
      const now = this.clock.now();
      if (now - this.loggedAt < LOG_EVERY_MS) return;
      this.loggedAt = now;
      this.log.error({ err: error, what, failures: this.count }, 'storage write failed: control carries on from memory');
    }
  }

  sessions(store: SessionStore): SessionStore {
    return {
      openSessions: () => store.openSessions(),
      startSession: (session, received) => this.run('start session', () => store.startSession(session, received)),
      stopSession: (stop, received) => this.run('stop session', () => store.stopSession(stop, received)),
      saveEnergy: (updates) => this.run('save energy', () => store.saveEnergy(updates)),
    };
  }

  state(store: ControlStateStore): ControlStateStore {
    return {
      appliedLimits: () => store.appliedLimits(),
      saveAppliedLimit: (limit) => this.run('save applied limit', () => store.saveAppliedLimit(limit)),
      deleteAppliedLimit: (chargerId, connectorId) => this.run('delete applied limit', () => store.deleteAppliedLimit(chargerId, connectorId)),
      lastAllocation: () => store.lastAllocation(),
      saveAllocation: (allocation) => this.run('save allocation', () => store.saveAllocation(allocation)),
      savePolicy: (policy) => this.run('save policy', () => store.savePolicy(policy)),
    };
  }

  adopted(store: AdoptedConnectorStore): AdoptedConnectorStore {
    return {
      adoptedConnectors: () => store.adoptedConnectors(),
      saveAdoptedConnector: (connector) => this.run('save adopted connector', () => store.saveAdoptedConnector(connector)),
      forgetAdoptedConnector: (chargerId, connectorId) => this.run('forget adopted connector', () => store.forgetAdoptedConnector(chargerId, connectorId)),
    };
  }

  observer(observer: ControlObserver): ControlObserver {
    return { onControlEvent: (event) => this.run(`report ${event.type}`, () => observer.onControlEvent(event)) };
  }
}
