/**
 * What a cluster master writes to its ledger of a charger's transaction messages before the charger is answered
 * (docs/cluster.md, "Transactions"), whoever answers: the site itself, or the operator's CSMS through the relay (the
 * next master's control loop then has a relayed session at once, not only from the charger's next message). The id
 * is the one the charger knows: the site's own, the CSMS's, or a provisional one (docs/cluster.md, "In front of an
 * operator's CSMS").
 */
import { z } from 'zod';
import { AUTHORIZATION_STATUSES } from './ocpp-values';
import type { TransactionLedger } from './central-system-ports';
import type { MeterValues, StartTransaction, StopTransaction } from './charge-point-messages';
import { checkChargerTime } from './charger-clock';
import { parseMeterSample } from './meter-values';

export interface LedgerWriteContext {
  readonly chargerId: string;
  readonly chargerPhases: 1 | 3;
  now(): number;
  readonly ledger?: TransactionLedger;
}

const StartAnswerSchema = z.object({
  transactionId: z.number().int(),
  idTagInfo: z.object({ status: z.enum(AUTHORIZATION_STATUSES) }),
});

/** The start with the answer the charger gets (its transaction id and status). */
export async function writeStart(ctx: LedgerWriteContext, start: StartTransaction, answer: unknown): Promise<void> {
  if (ctx.ledger === undefined) return;
  const { transactionId, idTagInfo } = StartAnswerSchema.parse(answer);
  await ctx.ledger.started(
    {
      transactionId,
      chargerId: ctx.chargerId,
      connectorId: start.connectorId,
      idTag: start.idTag,
      status: idTagInfo.status,
      meterStartWh: start.meterStart,
      startedAt: checkChargerTime(start.timestamp, ctx.now()),
    },
    start,
  );
}

export async function writeStop(ctx: LedgerWriteContext, stop: StopTransaction): Promise<void> {
  await ctx.ledger?.stopped({
    transactionId: stop.transactionId,
    chargerId: ctx.chargerId,
    meterStopWh: stop.meterStop,
    reason: stop.reason ?? 'Local',
    stoppedAt: checkChargerTime(stop.timestamp, ctx.now()),
  });
}

/** A transaction's energy register (the ledger writes it at a bounded rate). */
export async function writeReading(ctx: LedgerWriteContext, mv: MeterValues): Promise<void> {
  const reading = mv.transactionId === undefined ? undefined : parseMeterSample(mv.meterValue, ctx.chargerPhases);
  if (ctx.ledger && mv.transactionId !== undefined && reading?.energyWh !== undefined)
    await ctx.ledger.metered({
      transactionId: mv.transactionId,
      chargerId: ctx.chargerId,
      connectorId: mv.connectorId,
      registerWh: reading.energyWh,
      sampledAt: Math.min(reading.at, ctx.now()),
    });
}

/**
 * A relayed message, with the answer the charger gets. A repeat (the relay knew the message) is written only where
 * the first write may not have gone through (its charger got an error and sent it again): a start the ledger has no
 * answer for, and a stop (written again, it changes nothing); a repeated start never reopens its stopped transaction.
 */
export async function writeRelayed(
  ctx: LedgerWriteContext,
  method: string,
  message: unknown,
  answer: unknown,
  repeat: boolean,
): Promise<void> {
  if (ctx.ledger === undefined) return;
  if (method === 'StartTransaction') {
    const start = message as StartTransaction;
    if (!repeat || (await ctx.ledger.startedBefore(ctx.chargerId, start)) === undefined)
      await writeStart(ctx, start, answer);
  } else if (method === 'StopTransaction') await writeStop(ctx, message as StopTransaction);
  else if (method === 'MeterValues' && !repeat) await writeReading(ctx, message as MeterValues);
}
