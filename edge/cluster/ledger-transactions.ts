/**
 * Transactions in the cluster's ledger: each start and each stop is written, conditional on this node's term, before
 * the charger is answered (edge/ocpp calls this through its `TransactionLedger` port), so the next master knows every
 * transaction a charger may still report on. Keys `transactions/<id>/start` and `transactions/<id>/stop` hold JSON
 * records, checked with a schema when read back. With each start goes, in the same etcd transaction, the answer under
 * `start-requests/<digest of the charger and its message>`: a charger whose answer was lost (the master died before it
 * left) sends the same StartTransaction again, and the next master answers it with the same transaction.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { TimeSource } from '../control/charger-time';
import type {
  LedgerEnergyReading,
  LedgerTransactionStart,
  LedgerTransactionStop,
  TransactionLedger,
} from '../ocpp/central-system-ports';
import type { StartTransaction } from '../ocpp/charge-point-messages';
import { AUTHORIZATION_STATUSES } from '../ocpp/ocpp-values';
import type { LeaderLedger } from './leader-ledger';
import { energyKey, type LedgerEnergy } from './ledger-energy';
import { leaseKey } from './ledger-leases';

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

const StartAnswerSchema = z
  .object({ transactionId: TransactionIdSchema, status: z.enum(AUTHORIZATION_STATUSES) })
  .strict();

const KEY = /^transactions\/(-?\d+)\/(start|stop)$/;
const START_REQUESTS = 'start-requests';

/** The keys of transaction `transactionId`'s start and stop records. */
export function transactionKeys(transactionId: number): { readonly start: string; readonly stop: string } {
  return { start: `transactions/${transactionId}/start`, stop: `transactions/${transactionId}/stop` };
}

/** What the ledger knows of one transaction. */
export interface LedgerTransaction {
  readonly start?: LedgerTransactionStart;
  readonly stop?: LedgerTransactionStop;
}

export class LedgerTransactions implements TransactionLedger {
  constructor(
    private readonly ledger: LeaderLedger,
    private readonly energy: LedgerEnergy,
  ) {}

  async startedBefore(chargerId: string, request: StartTransaction) {
    const key = startRequestKey(chargerId, request);
    const entry = await this.ledger.get(key);
    return entry === undefined ? undefined : parse(StartAnswerSchema, entry.value, key);
  }

  /**
   * A start the ledger has no answer for is a new transaction: it replaces whatever the ledger held under its id. The
   * site's own ids never come back, but a CSMS's may be one the site handed out itself before the CSMS was put in front
   * (one id space, the id the charger knows, as in SQLite); an earlier transaction's stop must not close this one.
   */
  async started(start: LedgerTransactionStart, request: StartTransaction): Promise<void> {
    const record = StartSchema.parse(start);
    await this.ledger.putAll(
      [
        { key: transactionKeys(start.transactionId).start, value: JSON.stringify(record) },
        {
          key: startRequestKey(start.chargerId, request),
          value: JSON.stringify(
            StartAnswerSchema.parse({ transactionId: record.transactionId, status: record.status }),
          ),
        },
      ],
      [transactionKeys(start.transactionId).stop, leaseKey(start.transactionId), energyKey(start.transactionId)],
    );
    if (record.status === 'Accepted') this.energy.started(record.transactionId, record.chargerId);
  }

  /**
   * With the stop go the transaction's lease record (a TxProfile ends with its transaction) and its energy record (the
   * stop's meter reading is the session's energy).
   */
  async stopped(stop: LedgerTransactionStop): Promise<void> {
    await this.ledger.putAll(
      [{ key: transactionKeys(stop.transactionId).stop, value: JSON.stringify(StopSchema.parse(stop)) }],
      [leaseKey(stop.transactionId), energyKey(stop.transactionId)],
    );
    this.energy.forget(stop.transactionId);
  }

  metered(reading: LedgerEnergyReading): Promise<void> {
    return this.energy.metered(reading);
  }

  /** Every start request's key with the transaction it was answered with (the pruning deletes it with that one). */
  async startRequests(): Promise<{ readonly key: string; readonly transactionId: number }[]> {
    const entries = await this.ledger.list(START_REQUESTS, MAX_LEDGER_TRANSACTION_KEYS);
    return entries.map(({ key, value }) => ({
      key,
      transactionId: parse(StartAnswerSchema, value, key).transactionId,
    }));
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

/** The same charger sending the same message (every field, its own timestamp included) is the same start. */
function startRequestKey(chargerId: string, request: StartTransaction): string {
  const { connectorId, idTag, meterStart, timestamp, reservationId } = request;
  const digest = createHash('sha256')
    .update(JSON.stringify([chargerId, connectorId, idTag, meterStart, timestamp, reservationId ?? null]))
    .digest('hex');
  return `${START_REQUESTS}/${digest}`;
}

function parse<S extends z.ZodType>(schema: S, value: string, key: string): z.output<S> {
  try {
    return schema.parse(JSON.parse(value));
  } catch (error) {
    throw new AppError('state.invalid', `the ledger's ${key} is not a transaction record`, [], { cause: error });
  }
}
