/** What the control loop needs from the outside: chargers to send leases to, persistence and an observer. */
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { DemandState } from '../../shared/demand/demand-state';
import type { Policy } from '../../shared/policy/policy-schema';
import type { TimeSource } from './charger-time';
import type { ControlEvent } from './control-events';

/** A limit for one running transaction that holds for `leaseSeconds` unless renewed. */
export interface LeaseRequest {
  readonly connectorId: number;
  readonly transactionId: number;
  readonly amps: number;
  /** Phases the limit applies to (the car's or the charger's). */
  readonly phases: 1 | 2 | 3;
  /** The lowest current at which a car can charge; a limit is 0 or at least this. */
  readonly minAmps: number;
  readonly leaseSeconds: number;
  /**
   * What the transaction falls back to once the lease runs out unrenewed (its fail-safe): the lease carries it as its
   * last period, so the car charges on at it rather than meeting the charger's idle hold.
   */
  readonly fallbackAmps?: number;
}

/** What came of sending a lease: only `accepted` means the charger enforces it. */
export interface LeaseOutcome {
  readonly kind: 'accepted' | 'rejected' | 'error' | 'timeout' | 'notConnected';
  /**
   * When an accepted lease ends, if sooner than `leaseSeconds` after its answer: a cluster master sends a cut at once
   * within the lease the ledger holds, ending with it (edge/cluster/ledger-lease-sender.ts).
   */
  readonly expiresAt?: number;
}

/** The chargers' side that enforces limits (the OCPP central system). */
export interface LeaseSender {
  sendLease(chargerId: string, lease: LeaseRequest): Promise<LeaseOutcome>;
  /**
   * Installs the charger's idle hold: a 0 A default above its fail-safe for `holdSeconds`, which a car plugging in gets
   * until its lease arrives (edge/control/idle-holds.ts). `rejected` means the charger cannot hold one.
   */
  sendIdleHold(chargerId: string, holdSeconds: number): Promise<LeaseOutcome>;
  /** Asks a charger for fresh MeterValues of a connector now (TriggerMessage); best effort, never throws. */
  requestMeterValues(chargerId: string, connectorId: number): Promise<void>;
  /**
   * A lease the charger accepted before the agent restarted, which it may still hold until `expiresAt` (the control
   * loop leases it again once the charger is back): a sender that caps leases keeps it under its cap meanwhile.
   */
  restored?(chargerId: string, lease: LeaseRequest, expiresAt: number): void;
}

/**
 * A lease another master sent to a running transaction's charger (a cluster takeover, from the ledger): the charger may
 * enforce up to `amps` on `phases` phases until `validTo` (epoch ms), whether or not it reaches this node.
 */
export interface InheritedLease {
  readonly chargerId: string;
  readonly connectorId: number;
  readonly transactionId: number;
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
  readonly validTo: number;
}

/** A charging session as it is kept across restarts. */
export interface SessionRecord {
  readonly transactionId: number;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly idTag: string | undefined;
  readonly startedAt: number;
  readonly meterStartWh: number;
  readonly energyWh: number;
}

/** When a time the charger reported arrived, and whether the stored time is the charger's or (clock skewed) that one. */
export interface TimeReceipt {
  readonly receivedAt: number;
  readonly source: TimeSource;
}

export interface SessionStop {
  readonly transactionId: number;
  /** The charger's stop time (checked), the time of receipt when its clock was off. */
  readonly stoppedAt: number;
  readonly meterStopWh: number;
  readonly reason: string;
}

export interface EnergyUpdate {
  readonly transactionId: number;
  readonly energyWh: number;
  /** The charger's time of the energy reading, when one was received. */
  readonly energyAt: number | undefined;
}

/** Sessions and their energy, persisted with the charger's times. */
export interface SessionStore {
  openSessions(): SessionRecord[];
  /** `session.startedAt` is the charger's start time (checked); `received` says when it arrived and where the time came from. */
  startSession(session: SessionRecord, received: TimeReceipt): void;
  stopSession(stop: SessionStop, received: TimeReceipt): void;
  saveEnergy(updates: readonly EnergyUpdate[]): void;
}

/** A limit a charger has accepted, valid until `expiresAt`. */
export interface AppliedLimit {
  readonly chargerId: string;
  readonly connectorId: number;
  readonly transactionId: number;
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
  readonly acceptedAt: number;
  readonly expiresAt: number;
}

/** The controller's own state, persisted so that a restart resumes where it stopped. */
export interface ControlStateStore {
  appliedLimits(): AppliedLimit[];
  saveAppliedLimit(limit: AppliedLimit): void;
  deleteAppliedLimit(chargerId: string, connectorId: number): void;
  lastAllocation(): Allocation | undefined;
  saveAllocation(allocation: Allocation): void;
  savePolicy(policy: Policy): void;
  /** Peak-demand control's count of the current period and the months' peaks, as last saved. */
  demandState(): DemandState | undefined;
  saveDemandState(state: DemandState): void;
}

/** A connector adopted at run time (not in the site file), kept so that a restart controls it from the start. */
export interface AdoptedConnector {
  readonly chargerId: string;
  readonly connectorId: number;
  readonly adoptedAt: number;
}

/** Adopted connectors, persisted. */
export interface AdoptedConnectorStore {
  adoptedConnectors(): AdoptedConnector[];
  saveAdoptedConnector(connector: AdoptedConnector): void;
  /** Forgets one that the site file now lists, or whose charger it no longer has. */
  forgetAdoptedConnector(chargerId: string, connectorId: number): void;
}

/** Receives allocations, dispatch outcomes, faults and sessions (console, dashboard, cloud outbox). Must not throw. */
export interface ControlObserver {
  onControlEvent(event: ControlEvent): void;
}

/** The most a connector may hold: amps per phase on at most `phases` phases. */
export interface ConnectorCeiling {
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
}

/** Limits another party (the operator's CSMS) sets on connectors; the allocation keeps each connector under its own. */
export interface ConnectorCeilings {
  /**
   * The most a connector may hold over a lease starting now for a car on `phases` phases (fewer when the other party
   * limits the car to fewer, its amps then on those); undefined: no limit.
   */
  ceiling(chargerId: string, connectorId: number, phases: 1 | 2 | 3): ConnectorCeiling | undefined;
}
