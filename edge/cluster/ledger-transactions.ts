/**
 * Transactions in the cluster's ledger: each start and each stop is written, conditional on this node's term, before
 * the charger is answered (edge/ocpp calls this through its `TransactionLedger` port), so the next master knows every
 * transaction a charger may still report on. Keys `transactions/<id>/start` and `transactions/<id>/stop` hold JSON
 * records, checked with a schema when read back.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { TimeSource } from '../control/charger-time';
import type { LedgerTransactionStart, LedgerTransactionStop, TransactionLedger } from '../ocpp/central-system-ports';
import type { LeaderLedger } from './leader-ledger';

/** Two keys per transaction: a site's transactions of many days fit, and a read of them stays one bounded etcd call. */
export const MAX_LEDGER_TRANSACTION_KEYS = 20_000;

const TIME_SOURCES = ['charger', 'receivedClockAhead', 'receivedClockBehind'] as const satisfies readonly TimeSource[];
const ChargerTimeSchema = z
  .object({ at: z.number().int(), receivedAt: z.number().int(), source: z.enum(TIME_SOURCES) })
  .strict();
const TransactionIdSchema = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);
const ChargerIdSchema = z.string().min(1).max(48);

const StartSchema = z
  .object({
    transactionId: TransactionIdSchema,
    chargerId: ChargerIdSchema,
    connectorId: z.number().int().min(0).max(1000),
    idTag: z.string().max(20),
    status: z.string().max(20),
    meterStartWh: z.number().int(),
    startedAt: ChargerTimeSchema,
  })
  .strict();

const StopSchema = z
  .object({
    transactionId: TransactionIdSchema,
    chargerId: ChargerIdSchema,
    meterStopWh: z.number().int(),
    reason: z.string().max(40),
    stoppedAt: ChargerTimeSchema,
  })
  .strict();

const KEY = /^transactions\/(-?\d+)\/(start|stop)$/;

/** What the ledger knows of one transaction. */
export interface LedgerTransaction {
  readonly start?: LedgerTransactionStart;
  readonly stop?: LedgerTransactionStop;
}

export class LedgerTransactions implements TransactionLedger {
  constructor(private readonly ledger: LeaderLedger) {}

  started(start: LedgerTransactionStart): Promise<void> {
    return this.ledger.put(`transactions/${start.transactionId}/start`, JSON.stringify(StartSchema.parse(start)));
  }

  stopped(stop: LedgerTransactionStop): Promise<void> {
    return this.ledger.put(`transactions/${stop.transactionId}/stop`, JSON.stringify(StopSchema.parse(stop)));
  }

  /** Every transaction the ledger holds, by id; throws on a record it cannot read (a new master must not guess). */
  async read(): Promise<Map<number, LedgerTransaction>> {
    const transactions = new Map<number, LedgerTransaction>();
    for (const { key, value } of await this.ledger.list('transactions', MAX_LEDGER_TRANSACTION_KEYS)) {
      const match = KEY.exec(key);
      if (match === null) continue;
      const id = Number(match[1]);
      const known = transactions.get(id) ?? {};
      transactions.set(
        id,
        match[2] === 'start'
          ? { ...known, start: parse(StartSchema, value, key) }
          : { ...known, stop: parse(StopSchema, value, key) },
      );
    }
    return transactions;
  }
}

function parse<S extends z.ZodType>(schema: S, value: string, key: string): z.output<S> {
  try {
    return schema.parse(JSON.parse(value));
  } catch (error) {
    throw new AppError('state.invalid', `the ledger's ${key} is not a transaction record`, [], { cause: error });
  }
}
