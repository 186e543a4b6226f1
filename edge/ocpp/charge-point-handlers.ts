/**
 * Handlers for every call a charge point makes: parse with zod, answer (or take the CSMS's answer), emit a domain event.
 * The table of them and their registration on a connection; the boot's and the transactions' handlers have their own
 * files (boot-notification-handler.ts, transaction-handlers.ts).
 */
import ocppRpc from 'ocpp-rpc';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import { bootNotification, relayedBootsToProtect } from './boot-notification-handler';
import {
  acknowledged,
  handler,
  IdTagAnswerSchema,
  idTagInfo,
  type Answer,
  type Handler,
  type HandlerContext,
} from './charge-point-handler-context';
import {
  AuthorizeSchema,
  DataTransferSchema,
  DiagnosticsStatusNotificationSchema,
  FirmwareStatusNotificationSchema,
  HeartbeatSchema,
  StatusNotificationSchema,
} from './charge-point-messages';
import { ocppDateTime } from './ocpp-values';
import { toRpcError } from './rpc-errors';
import { meterValues, startTransaction, stopTransaction } from './transaction-handlers';
import { writeRelayed } from './transaction-ledger-writes';

/** The part of an ocpp-rpc client that registers call handlers. */
export interface RpcHandlerHost {
  handle(method: string, handler: (call: { params?: unknown }) => Promise<Record<string, unknown>>): void;
}

const { RPCError } = ocppRpc;

const HANDLERS = {
  BootNotification: bootNotification,
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
  StartTransaction: startTransaction,
  StopTransaction: stopTransaction,
  MeterValues: meterValues,
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
