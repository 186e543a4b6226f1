/** The ports the OCPP central system needs; the store and the control loop implement them. */
import type { MessageRef } from '../../shared/server-messages';
import type { Charger } from '../../shared/site/site-schema';
import type { ChargerTime } from '../control/charger-time';
import type { AuthorizationStatus, RegistrationStatus } from './ocpp-values';
import type { ChargerEvent } from './charger-events';
import type { StartTransaction } from './charge-point-messages';

/** Outcome of checking a charger's Basic auth password. `unknown`: no password is stored for this charger. */
export type CredentialCheck = 'valid' | 'invalid' | 'unknown';

/** Security profile 1: a password per charger, stored hashed. */
export interface ChargerCredentials {
  verify(chargerId: string, password: Buffer | undefined): Promise<CredentialCheck>;
}

/** The site's chargers as configured; unknown chargers are handled by the server's `unknownChargers` option. */
export interface ChargerDirectory {
  find(chargerId: string): Charger | undefined;
}

/** Where identities the site does not list that tried to connect are kept, for adoption (edge/store). */
export interface UnknownChargerLog {
  recordAttempt(attempt: { identity: string; remoteAddress: string | undefined; at: number; held: boolean }): void;
}

export interface IdTagDecision {
  readonly status: AuthorizationStatus;
  readonly vip: boolean;
  readonly parentIdTag?: string;
  /** Epoch ms after which the charger must ask again. */
  readonly expiresAt?: number;
}

/** Decides on id tags (local list, VIP tags). */
export interface IdTagAuthorizer {
  authorize(chargerId: string, idTag: string): Promise<IdTagDecision>;
}

/** Hands out transaction ids that are unique across restarts (the store persists the counter). */
export interface TransactionIds {
  next(chargerId: string): Promise<number>;
}

/** Decides whether a transaction may start on a connector: the site must be able to control what it draws. */
export interface TransactionAdmission {
  /** Undefined when it may (a connector the site did not list may be adopted first), else why it may not. */
  refusal(start: {
    readonly chargerId: string;
    readonly connectorId: number;
    readonly transactionId: number;
    readonly at: number;
  }): MessageRef | undefined;
}

/** Receives every domain event; the control loop implements it. Must not throw. */
export interface ChargerEventListener {
  onEvent(event: ChargerEvent): void;
}

/** One charger's link to the operator's CSMS the agent stands in front of (edge/upstream, docs/csms.md). */
export interface ChargerRelay {
  /** The answer the charger gets: the CSMS's, or the agent's own as its stand-in when the CSMS does not answer in time. */
  forward(method: string, params: Record<string, unknown>): Promise<RelayedAnswer>;
}

export interface RelayedAnswer {
  readonly answer: Record<string, unknown>;
  /**
   * The charger sent again a transaction message the CSMS had acknowledged (it did not note the answer), and was
   * answered as then: the control loop was told it the first time, and is not told it again.
   */
  readonly repeat: boolean;
}

/** The operator's CSMS: one relay per connected charger. */
export interface ChargerUpstream {
  /**
   * Whether a charger whose handshake is otherwise accepted may connect now: with the strict local-controller rule,
   * only once its link to the CSMS opened (the link is opened on the way, and kept for `attach`); else always.
   */
  admit(chargerId: string, registration: RegistrationStatus): Promise<boolean>;
  /** The charger connected (`registration`: what to answer its boot while the CSMS cannot); its calls go through the relay. */
  attach(chargerId: string, registration: RegistrationStatus): ChargerRelay;
  /** The charger's connection ended (not one replaced by a newer connection). */
  detach(chargerId: string): void;
}

/** In a cluster, whether this node is the site's master now (edge/cluster); a single agent always is, and has none. */
export interface MasterGate {
  /** True while this node may serve chargers: take their connections and answer them. */
  serving(): boolean;
  /** Throws unless this node may send calls to chargers now; checked before every call. */
  assertMaster(): void;
}

/** A transaction's start as the central system answered it. */
export interface LedgerTransactionStart {
  readonly transactionId: number;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly idTag: string;
  /** The id tag's status as answered; only `Accepted` starts a session. */
  readonly status: string;
  readonly meterStartWh: number;
  readonly startedAt: ChargerTime;
}

/** A transaction's stop as the charger reported it. */
export interface LedgerTransactionStop {
  readonly transactionId: number;
  readonly chargerId: string;
  readonly meterStopWh: number;
  readonly reason: string;
  readonly stoppedAt: ChargerTime;
}

/** A running transaction's energy register as its charger reported it in MeterValues. */
export interface LedgerEnergyReading {
  readonly transactionId: number;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly registerWh: number;
  /** The charger's time of the reading (checked), epoch ms. */
  readonly sampledAt: number;
}

/**
 * In a cluster, where transactions are written before the charger gets its answer (edge/cluster), so that the next
 * master knows them; a write that fails (this node no longer leads) leaves the charger unanswered by this node.
 */
export interface TransactionLedger {
  /**
   * The answer this charger was given for the very same StartTransaction, if it sent it before: a charger whose answer
   * was lost (the master died before it left) sends it again, and must get the same transaction, not a second one.
   */
  startedBefore(
    chargerId: string,
    request: StartTransaction,
  ): Promise<{ readonly transactionId: number; readonly status: AuthorizationStatus } | undefined>;
  /** `request` is the charger's message, by which `startedBefore` finds it again. */
  started(start: LedgerTransactionStart, request: StartTransaction): Promise<void>;
  stopped(stop: LedgerTransactionStop): Promise<void>;
  /** A transaction's energy register from MeterValues; the ledger writes it at a bounded rate (edge/cluster). */
  metered(reading: LedgerEnergyReading): Promise<void>;
}

/** Whether a charger that booted is protected yet (the control loop): its fail-safe and first idle hold are in. */
export interface BootReadiness {
  /** Resolves once it is (at once for a charger that did not boot). */
  protectedAfterBoot(chargerId: string): Promise<void>;
}
