/** Handlers for every call a charge point makes: parse with zod, consult the ports, emit a domain event, answer. */
import type { z } from 'zod';
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
} from './charge-point-messages';
import type {
  ChargerEventListener,
  IdTagAuthorizer,
  IdTagDecision,
  TransactionAdmission,
  TransactionIds,
} from './central-system-ports';
import type { ChargerClockCheck } from './charger-clock';
import { parseMeterSample, type MeterSample } from './meter-values';
import { ocppDateTime, type IdTagInfo, type RegistrationStatus } from './ocpp-values';
import { toRpcError } from './rpc-errors';

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
  /** Runs after an accepted BootNotification has been answered (boot configuration). */
  onBootAccepted(): void;
}

/** The part of an ocpp-rpc client that registers call handlers. */
export interface RpcHandlerHost {
  handle(method: string, handler: (call: { params?: unknown }) => Promise<Record<string, unknown>>): void;
}

type Handler<S extends z.ZodType> = {
  schema: S;
  run: (ctx: HandlerContext, message: z.output<S>) => Promise<Record<string, unknown>>;
};
const handler = <S extends z.ZodType>(schema: S, run: Handler<S>['run']): Handler<S> => ({ schema, run });

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

const HANDLERS = {
  BootNotification: handler(BootNotificationSchema, (ctx, boot) => {
    const at = ctx.now();
    ctx.events.onEvent({
      type: 'booted',
      chargerId: ctx.chargerId,
      at,
      registration: ctx.registration,
      vendor: boot.chargePointVendor,
      model: boot.chargePointModel,
      serialNumber: boot.chargePointSerialNumber ?? boot.chargeBoxSerialNumber,
      firmwareVersion: boot.firmwareVersion,
    });
    // The configuration calls must follow our answer on the wire, so they start on the next turn.
    if (ctx.registration === 'Accepted') setImmediate(() => ctx.onBootAccepted());
    return Promise.resolve({
      status: ctx.registration,
      currentTime: ocppDateTime(at),
      interval: ctx.heartbeatIntervalSeconds,
    });
  }),
  Heartbeat: handler(HeartbeatSchema, (ctx) => {
    const at = ctx.now();
    ctx.events.onEvent({ type: 'heartbeat', chargerId: ctx.chargerId, at });
    return Promise.resolve({ currentTime: ocppDateTime(at) });
  }),
  StatusNotification: handler(StatusNotificationSchema, (ctx, s) => {
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
    return Promise.resolve({});
  }),
  Authorize: handler(AuthorizeSchema, async (ctx, { idTag }) => {
    const decision = await ctx.idTags.authorize(ctx.chargerId, idTag);
    ctx.events.onEvent({
      type: 'authorized',
      chargerId: ctx.chargerId,
      at: ctx.now(),
      idTag,
      status: decision.status,
      vip: decision.vip,
    });
    return { idTagInfo: idTagInfo(decision) };
  }),
  StartTransaction: handler(StartTransactionSchema, async (ctx, start) => {
    const authorized = await ctx.idTags.authorize(ctx.chargerId, start.idTag);
    // The answer must carry a transaction id even when it refuses: the charger's StopTransaction will name it.
    const transactionId = await ctx.transactionIds.next(ctx.chargerId);
    const at = ctx.now();
    const refusal =
      authorized.status === 'Accepted'
        ? ctx.admission.refusal({ chargerId: ctx.chargerId, connectorId: start.connectorId, transactionId, at })
        : undefined;
    // A transaction the site cannot control would draw unseen against its fuses. OCPP 1.6 has no status for "not on this
    // connector": Invalid is the closest, and makes the charger stop (StopTransactionOnInvalidId) or deliver no energy;
    // a charger with an authorization cache also marks the tag Invalid there, which the refusal's reason explains.
    const decision: IdTagDecision = refusal === undefined ? authorized : { status: 'Invalid', vip: false };
    ctx.events.onEvent({
      type: 'transactionStarted',
      chargerId: ctx.chargerId,
      at,
      connectorId: start.connectorId,
      transactionId,
      idTag: start.idTag,
      status: decision.status,
      vip: decision.vip,
      meterStartWh: start.meterStart,
      startedAt: ctx.clock.check('StartTransaction', start.timestamp, at),
    });
    return { transactionId, idTagInfo: idTagInfo(decision) };
  }),
  StopTransaction: handler(StopTransactionSchema, async (ctx, stop) => {
    const decision = stop.idTag === undefined ? undefined : await ctx.idTags.authorize(ctx.chargerId, stop.idTag);
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
    return decision === undefined ? {} : { idTagInfo: idTagInfo(decision) };
  }),
  MeterValues: handler(MeterValuesSchema, (ctx, mv) => {
    const parsed = parseMeterSample(mv.meterValue, ctx.chargerPhases);
    if (parsed !== undefined) {
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
    }
    return Promise.resolve({});
  }),
  DataTransfer: handler(DataTransferSchema, (ctx, dt) => {
    ctx.events.onEvent({
      type: 'dataTransfer',
      chargerId: ctx.chargerId,
      at: ctx.now(),
      vendorId: dt.vendorId,
      messageId: dt.messageId,
      data: dt.data,
    });
    // We implement no vendor extensions, so every vendor is unknown to us (OCPP 1.6 §4.3).
    return Promise.resolve({ status: 'UnknownVendorId' });
  }),
  DiagnosticsStatusNotification: handler(DiagnosticsStatusNotificationSchema, (ctx, { status }) => {
    ctx.events.onEvent({ type: 'diagnosticsStatus', chargerId: ctx.chargerId, at: ctx.now(), status });
    return Promise.resolve({});
  }),
  FirmwareStatusNotification: handler(FirmwareStatusNotificationSchema, (ctx, { status }) => {
    ctx.events.onEvent({ type: 'firmwareStatus', chargerId: ctx.chargerId, at: ctx.now(), status });
    return Promise.resolve({});
  }),
} as const;

/** Registers every charge point call on one connection; ocpp-rpc answers NotImplemented for the rest. */
export function registerChargePointHandlers(host: RpcHandlerHost, ctx: HandlerContext): void {
  for (const [method, { schema, run }] of Object.entries(HANDLERS) as [string, Handler<z.ZodType>][]) {
    host.handle(method, async ({ params }) => {
      try {
        return await run(ctx, parseOrThrow(schema, params, 'message.invalid', method));
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'internal')
          ctx.log.error({ err: error, method }, 'ocpp handler failed');
        throw toRpcError(error);
      }
    });
  }
}
