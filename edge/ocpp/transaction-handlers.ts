/**
 * The handlers of a charger's transaction messages (StartTransaction, StopTransaction, MeterValues): the admission of a
 * start the site must control, a start sent again, and the charger's times checked. Their own file because they share
 * that state and those checks, which no other call needs.
 */
import { z } from 'zod';
import type { ChargerTime } from '../control/charger-time';
import {
  MeterValuesSchema,
  StartTransactionSchema,
  StopTransactionSchema,
  type StartTransaction,
} from './charge-point-messages';
import {
  handler,
  IdTagAnswerSchema,
  idTagInfo,
  type Answer,
  type HandlerContext,
} from './charge-point-handler-context';
import { parseMeterSample, type MeterSample } from './meter-values';
import { writeReading, writeStart, writeStop } from './transaction-ledger-writes';

const StartAnswerSchema = IdTagAnswerSchema.extend({ transactionId: z.number().int() });

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

/** The answers given to a StartTransaction sent again, with the transaction it started the first time. */
const repeatedStarts = new WeakSet<Answer>();

export const startTransaction = handler(
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
);

export const stopTransaction = handler(
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
);

export const meterValues = handler(
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
);

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
