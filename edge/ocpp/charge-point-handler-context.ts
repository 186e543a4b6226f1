/**
 * What a charge point call's handler is given (the connection's context) and what it is made of (schema, answer, tap,
 * correction), with the answer parts several handlers share; its own file so that the boot and transaction handlers
 * and the table that registers them all build on it without importing each other.
 */
import { z } from 'zod';
import type {
  ChargerEventListener,
  ChargerRelay,
  IdTagAuthorizer,
  IdTagDecision,
  TransactionAdmission,
  TransactionIds,
  TransactionLedger,
} from './central-system-ports';
import type { ChargerClockCheck } from './charger-clock';
import { AUTHORIZATION_STATUSES, ocppDateTime, type IdTagInfo, type RegistrationStatus } from './ocpp-values';

/** What the handlers of one connection need. */
export interface HandlerContext {
  readonly chargerId: string;
  readonly chargerPhases: 1 | 3;
  /** Boot answer for this charger: Accepted when known, else the server's `unknownChargers` setting. */
  readonly registration: RegistrationStatus;
  readonly heartbeatIntervalSeconds: number;
  readonly idTags: IdTagAuthorizer;
  readonly transactionIds: TransactionIds;
  readonly admission: TransactionAdmission;
  readonly events: ChargerEventListener;
  /** Where a handler's unexpected failure goes: the charger only sees a bare InternalError. */
  readonly log: { error(data: object, message: string): void };
  /** Checks the times this charger reports (StartTransaction, StopTransaction, MeterValues). */
  readonly clock: ChargerClockCheck;
  now(): number;
  /**
   * True when this BootNotification is the one we asked for (TriggerMessage) on this connection: the charger did not
   * reboot. Read once per boot.
   */
  bootTriggered(): boolean;
  /** Runs after an accepted BootNotification has been answered (boot configuration). */
  onBootAccepted(): void;
  /**
   * Where a real boot is answered only once the charger is protected (its boot configuration and first idle hold in,
   * docs/ocpp.md "At boot"): resolves when it may be answered. Absent, the answer goes at once and the configuration
   * follows it.
   */
  readonly protectBeforeAnswer?: () => Promise<void>;
  /** In front of an operator's CSMS: what answers this charger's calls (edge/upstream); absent, we do. */
  readonly relay?: ChargerRelay;
  /** In a cluster: where transactions are written before the charger is answered (edge/cluster). */
  readonly ledger?: TransactionLedger;
}

/** What the charger is answered; the answers a tap reads are checked with a schema, whoever gave them. */
export type Answer = Record<string, unknown>;

export type Handler<S extends z.ZodType> = {
  schema: S;
  /** The answer as the site's own central system. */
  answer: (ctx: HandlerContext, message: z.output<S>) => Promise<Answer>;
  /** Tells the control loop what the charger said and what it was answered, by us or by the operator's CSMS. */
  tap: (ctx: HandlerContext, message: z.output<S>, answer: Answer) => Promise<void> | void;
  /** Our correction of the CSMS's answer, where the site's safety needs one (docs/csms.md, "What is rewritten"). */
  correct?: (ctx: HandlerContext, message: z.output<S>, answer: Answer) => Answer;
};
export const handler = <S extends z.ZodType>(
  schema: S,
  answer: Handler<S>['answer'],
  tap: Handler<S>['tap'],
  correct?: Handler<S>['correct'],
): Handler<S> => ({ schema, answer, tap, ...(correct && { correct }) });

export const IdTagAnswerSchema = z.object({ idTagInfo: z.object({ status: z.enum(AUTHORIZATION_STATUSES) }) });

export function idTagInfo(decision: IdTagDecision): IdTagInfo {
  return {
    status: decision.status,
    ...(decision.parentIdTag !== undefined && { parentIdTag: decision.parentIdTag }),
    ...(decision.expiresAt !== undefined && { expiryDate: ocppDateTime(decision.expiresAt) }),
  };
}

export const acknowledged = (): Promise<Answer> => Promise.resolve({});
