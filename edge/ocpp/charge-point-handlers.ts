/** Handlers for every call a charge point makes: parse with zod, answer (or take the CSMS's answer), emit a domain event. */
import ocppRpc from 'ocpp-rpc';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import type { ChargerTime } from '../control/charger-time';
import {
  AuthorizeSchema,
  BootNotificationSchema,
  DataTransferSchema,
  DiagnosticsStatusNotificationSchema,
  FirmwareStatusNotificationSchema,
  HeartbeatSchema,
  MeterValuesSchema,
  StartTransactionSchema,
  StatusNotificationSchema,
  StopTransactionSchema,
  type StartTransaction,
} from './charge-point-messages';
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
import { parseMeterSample, type MeterSample } from './meter-values';
import {
  AUTHORIZATION_STATUSES,
  ocppDateTime,
  REGISTRATION_STATUSES,
  type IdTagInfo,
  type RegistrationStatus,
} from './ocpp-values';
import { toRpcError } from './rpc-errors';
import { writeReading, writeRelayed, writeStart, writeStop } from './transaction-ledger-writes';

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

/** The part of an ocpp-rpc client that registers call handlers. */
export interface RpcHandlerHost {
  handle(method: string, handler: (call: { params?: unknown }) => Promise<Record<string, unknown>>): void;
}

const { RPCError } = ocppRpc;

/** What the charger is answered; the answers a tap reads are checked with a schema, whoever gave them. */
type Answer = Record<string, unknown>;

type Handler<S extends z.ZodType> = {
  schema: S;
  /** The answer as the site's own central system. */
  answer: (ctx: HandlerContext, message: z.output<S>) => Promise<Answer>;
  /** Tells the control loop what the charger said and what it was answered, by us or by the operator's CSMS. */
  tap: (ctx: HandlerContext, message: z.output<S>, answer: Answer) => Promise<void> | void;
  /** Our correction of the CSMS's answer, where the site's safety needs one (docs/csms.md, "What is rewritten"). */
  correct?: (ctx: HandlerContext, message: z.output<S>, answer: Answer) => Answer;
};
const handler = <S extends z.ZodType>(
  schema: S,
  answer: Handler<S>['answer'],
  tap: Handler<S>['tap'],
  correct?: Handler<S>['correct'],
): Handler<S> => ({ schema, answer, tap, ...(correct && { correct }) });

const BootAnswerSchema = z.object({ status: z.enum(REGISTRATION_STATUSES) });
const IdTagAnswerSchema = z.object({ idTagInfo: z.object({ status: z.enum(AUTHORIZATION_STATUSES) }) });
const StartAnswerSchema = IdTagAnswerSchema.extend({ transactionId: z.number().int() });

function idTagInfo(decision: IdTagDecision): IdTagInfo {
  return {
    status: decision.status,
    ...(decision.parentIdTag !== undefined && { parentIdTag: decision.parentIdTag }),
    ...(decision.expiresAt !== undefined && { expiryDate: ocppDateTime(decision.expiresAt) }),
  };
}

/** The sample with its time checked (its measurement keeps the charger's own instant only when that is plausible too). */
function checkedSample(
  ctx: HandlerContext,
  method: string,
  sample: MeterSample,
  receivedAt: number,
): { sample: MeterSample; sampledAt: ChargerTime } {
  const sampledAt = ctx.clock.check(method, sample.at, receivedAt);
  if (sampledAt.source === 'charger') return { sample, sampledAt };
  return {
    sample: {
      ...sample,
      at: sampledAt.at,
      ...(sample.measurement && { measurement: { ...sample.measurement, at: sampledAt.at } }),
    },
    sampledAt,
  };
}

const acknowledged = (): Promise<Answer> => Promise.resolve({});

/** The answers given to a StartTransaction sent again, with the transaction it started the first time. */
const repeatedStarts = new WeakSet<Answer>();

/** The answers to boots the control loop was told of before they were answered. */
const toldBoots = new WeakSet<Answer>();

/** A CSMS's Accepted answers to a charger's own boot: they reach the charger once it is protected. */
const relayedBootsToProtect = new WeakSet<Answer>();

const bootAnswer = (ctx: HandlerContext, status: RegistrationStatus): Answer => ({
  status,
  currentTime: ocppDateTime(ctx.now()),
  interval: ctx.heartbeatIntervalSeconds,
});

function tellBooted(
  ctx: HandlerContext,
  boot: z.output<typeof BootNotificationSchema>,
  registration: RegistrationStatus,
  triggered: boolean,
): void {
  ctx.events.onEvent({
    type: 'booted',
    chargerId: ctx.chargerId,
    at: ctx.now(),
    registration,
    triggered,
    vendor: boot.chargePointVendor,
    model: boot.chargePointModel,
    serialNumber: boot.chargePointSerialNumber ?? boot.chargeBoxSerialNumber,
    firmwareVersion: boot.firmwareVersion,
  });
}

const HANDLERS = {
  BootNotification: handler(
    BootNotificationSchema,
    async (ctx, boot) => {
      if (ctx.registration !== 'Accepted' || ctx.protectBeforeAnswer === undefined)
        return bootAnswer(ctx, ctx.registration);
      // The loop hears of a real boot before its configuration starts; a boot we asked for is answered at once.
      const triggered = ctx.bootTriggered();
      tellBooted(ctx, boot, 'Accepted', triggered);
      if (!triggered) await ctx.protectBeforeAnswer();
      const answer = bootAnswer(ctx, 'Accepted');
      toldBoots.add(answer);
      return answer;
    },
    (ctx, boot, answer) => {
      const registration = BootAnswerSchema.parse(answer).status;
      if (!toldBoots.has(answer)) {
        const triggered = ctx.bootTriggered();
        tellBooted(ctx, boot, registration, triggered);
        if (ctx.relay !== undefined && registration === 'Accepted' && !triggered) relayedBootsToProtect.add(answer);
      }
      // The configuration calls must follow our answer on the wire, so they start on the next turn (a boot answered
      // once protected was configured before its answer, and is not again).
      if (registration === 'Accepted') setImmediate(() => ctx.onBootAccepted());
    },
  ),
  Heartbeat: handler(
    HeartbeatSchema,
    (ctx) => Promise.resolve({ currentTime: ocppDateTime(ctx.now()) }),
    (ctx) => ctx.events.onEvent({ type: 'heartbeat', chargerId: ctx.chargerId, at: ctx.now() }),
  ),
  StatusNotification: handler(StatusNotificationSchema, acknowledged, (ctx, s) => {
    ctx.events.onEvent({
      type: 'status',
      chargerId: ctx.chargerId,
      at: ctx.now(),
      connectorId: s.connectorId,
      status: s.status,
      errorCode: s.errorCode,
      info: s.info,
      vendorErrorCode: s.vendorErrorCode,
    });
  }),
  Authorize: handler(
    AuthorizeSchema,
    async (ctx, { idTag }) => ({ idTagInfo: idTagInfo(await ctx.idTags.authorize(ctx.chargerId, idTag)) }),
    async (ctx, { idTag }, answer) => {
      const { vip } = await ctx.idTags.authorize(ctx.chargerId, idTag);
      ctx.events.onEvent({
        type: 'authorized',
        chargerId: ctx.chargerId,
        at: ctx.now(),
        idTag,
        status: IdTagAnswerSchema.parse(answer).idTagInfo.status,
        vip,
      });
    },
  ),
  StartTransaction: handler(
    StartTransactionSchema,
    async (ctx, start) => {
      const before = await ctx.ledger?.startedBefore(ctx.chargerId, start);
      if (before !== undefined) {
        const repeated = { transactionId: before.transactionId, idTagInfo: { status: before.status } };
        repeatedStarts.add(repeated);
        return repeated;
      }
      const authorized = await ctx.idTags.authorize(ctx.chargerId, start.idTag);
      // The answer must carry a transaction id even when it refuses: the charger's StopTransaction will name it.
      const transactionId = await ctx.transactionIds.next(ctx.chargerId);
      const proposed = { transactionId, idTagInfo: idTagInfo(authorized) };
      const answer = authorized.status === 'Accepted' ? admitted(ctx, start, proposed) : proposed;
      await writeStart(ctx, start, answer);
      return answer;
    },
    async (ctx, start, answer) => {
      // The transaction of a start sent again is known already (this node took it, or adopted it from the ledger).
      if (repeatedStarts.has(answer)) return;
      const { transactionId, idTagInfo: info } = StartAnswerSchema.parse(answer);
      const { vip } = await ctx.idTags.authorize(ctx.chargerId, start.idTag);
      const at = ctx.now();
      ctx.events.onEvent({
        type: 'transactionStarted',
        chargerId: ctx.chargerId,
        at,
        connectorId: start.connectorId,
        transactionId,
        idTag: start.idTag,
        status: info.status,
        vip: vip && info.status === 'Accepted',
        meterStartWh: start.meterStart,
        startedAt: ctx.clock.check('StartTransaction', start.timestamp, at),
      });
    },
    (ctx, start, answer) =>
      StartAnswerSchema.parse(answer).idTagInfo.status === 'Accepted' ? admitted(ctx, start, answer) : answer,
  ),
  StopTransaction: handler(
    StopTransactionSchema,
    async (ctx, stop) => {
      const answer =
        stop.idTag === undefined ? {} : { idTagInfo: idTagInfo(await ctx.idTags.authorize(ctx.chargerId, stop.idTag)) };
      await writeStop(ctx, stop);
      return answer;
    },
    (ctx, stop) => {
      const at = ctx.now();
      const sample = parseMeterSample(stop.transactionData ?? [], ctx.chargerPhases);
      ctx.events.onEvent({
        type: 'transactionStopped',
        chargerId: ctx.chargerId,
        at,
        transactionId: stop.transactionId,
        idTag: stop.idTag,
        meterStopWh: stop.meterStop,
        reason: stop.reason ?? 'Local',
        sample: sample && checkedSample(ctx, 'StopTransaction', sample, at).sample,
        stoppedAt: ctx.clock.check('StopTransaction', stop.timestamp, at),
      });
    },
  ),
  MeterValues: handler(
    MeterValuesSchema,
    async (ctx, mv) => {
      // In a cluster a transaction's energy register goes to the ledger (at a bounded rate) before the answer.
      await writeReading(ctx, mv);
      return {};
    },
    (ctx, mv) => {
      const parsed = parseMeterSample(mv.meterValue, ctx.chargerPhases);
      if (parsed === undefined) return;
      const at = ctx.now();
      const { sample, sampledAt } = checkedSample(ctx, 'MeterValues', parsed, at);
      ctx.events.onEvent({
        type: 'meterValues',
        chargerId: ctx.chargerId,
        at,
        connectorId: mv.connectorId,
        transactionId: mv.transactionId,
        sample,
        sampledAt,
      });
    },
  ),
  DataTransfer: handler(
    DataTransferSchema,
    // We implement no vendor extensions, so every vendor is unknown to us (OCPP 1.6 §4.3).
    () => Promise.resolve({ status: 'UnknownVendorId' }),
    (ctx, dt) => {
      ctx.events.onEvent({
        type: 'dataTransfer',
        chargerId: ctx.chargerId,
        at: ctx.now(),
        vendorId: dt.vendorId,
        messageId: dt.messageId,
        data: dt.data,
      });
    },
  ),
  DiagnosticsStatusNotification: handler(DiagnosticsStatusNotificationSchema, acknowledged, (ctx, { status }) =>
    ctx.events.onEvent({ type: 'diagnosticsStatus', chargerId: ctx.chargerId, at: ctx.now(), status }),
  ),
  FirmwareStatusNotification: handler(FirmwareStatusNotificationSchema, acknowledged, (ctx, { status }) =>
    ctx.events.onEvent({ type: 'firmwareStatus', chargerId: ctx.chargerId, at: ctx.now(), status }),
  ),
} as const;

/**
 * A transaction the site cannot control would draw unseen against its fuses. OCPP 1.6 has no status for "not on this
 * connector": Invalid is the closest, and makes the charger stop (StopTransactionOnInvalidId) or deliver no energy; a
 * charger with an authorization cache also marks the tag Invalid there, which the refusal's reason explains.
 */
function admitted(ctx: HandlerContext, start: StartTransaction, answer: Answer): Answer {
  const { transactionId } = StartAnswerSchema.parse(answer);
  const refusal = ctx.admission.refusal({
    chargerId: ctx.chargerId,
    connectorId: start.connectorId,
    transactionId,
    at: ctx.now(),
  });
  return refusal === undefined ? answer : { transactionId, idTagInfo: { status: 'Invalid' } };
}

/**
 * Registers every charge point call on one connection; ocpp-rpc answers NotImplemented for the rest. With a relay
 * (the agent in front of an operator's CSMS) the answer is the relay's, and the control loop is told the same.
 */
export function registerChargePointHandlers(host: RpcHandlerHost, ctx: HandlerContext): void {
  for (const [method, { schema, answer, tap, correct }] of Object.entries(HANDLERS) as [string, Handler<z.ZodType>][]) {
    host.handle(method, async ({ params }) => {
      try {
        const message = parseOrThrow(schema, params, 'message.invalid', method);
        const relayed = ctx.relay && (await ctx.relay.forward(method, params as Answer));
        if (relayed === undefined) {
          const answered = await answer(ctx, message);
          await tap(ctx, message, answered);
          return answered;
        }
        // A repeat of a message the control loop was told once (a start after its stop, above all: it would open the
        // finished transaction's session again and get it current until the charger's repeated stop closed it).
        if (relayed.repeat) {
          await writeRelayed(ctx, method, message, relayed.answer, true);
          return relayed.answer;
        }
        const answered = correct?.(ctx, message, relayed.answer) ?? relayed.answer;
        // The CSMS's answer goes to the charger even when our tap cannot read it.
        try {
          await tap(ctx, message, answered);
        } catch (error) {
          ctx.log.error({ err: error, method }, 'ocpp tap failed on the CSMS answer');
        }
        // In a cluster, in the ledger before the charger hears of it, as what the site answers itself. After the tap:
        // a charger that gets an error sends it again, a repeat, which the control loop must not be told twice.
        await writeRelayed(ctx, method, message, answered, false);
        // A charger's own boot the CSMS accepted waits for the charger's protection, as one we answer (docs/ocpp.md,
        // "At boot"): the loop was told of it in the tap, and the configuration starts now, before the answer.
        if (relayedBootsToProtect.has(answered)) await ctx.protectBeforeAnswer?.();
        return answered;
      } catch (error) {
        if (!(error instanceof AppError || error instanceof RPCError) || AppError.match(error, 'internal'))
          ctx.log.error({ err: error, method }, 'ocpp handler failed');
        throw toRpcError(error);
      }
    });
  }
}
