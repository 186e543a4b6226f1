/**
 * Accepted leases in the cluster's ledger: per running transaction, the most its charger may enforce under a lease of
 * any master and until when (`leases/<transaction id>`). A charger that never reaches the next master goes on
 * enforcing its lease until its `validTo` (OCPP 1.6), so the next master reserves what the ledger says for it instead
 * of its fail-safe. The record is an envelope: written before a lease that raises or extends it goes out, narrowed
 * once a cut is accepted (ledger-lease-sender.ts), deleted with the transaction's stop (a TxProfile ends with its
 * transaction).
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { LeaderLedger } from './leader-ledger';
import { LedgerTransactionFields, MAX_LEDGER_TRANSACTION_RECORDS } from './ledger-transaction-record';

const LeaseEnvelopeSchema = z
  .object({
    ...LedgerTransactionFields,
    amps: z.number().min(0).max(10_000),
    phases: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    /** Epoch ms (the writer's clock): the charger's lease ends no later. */
    validTo: z.number().int(),
  })
  .strict();

/** The most a running transaction's charger may enforce under the leases sent to it, until `validTo`. */
export type LeaseEnvelope = z.output<typeof LeaseEnvelopeSchema>;

/** The ledger key of a transaction's lease envelope. */
export function leaseKey(transactionId: number): string {
  return `leases/${transactionId}`;
}

export class LedgerLeases {
  constructor(private readonly ledger: LeaderLedger) {}

  /** Records `envelope` in this node's term; throws (and fences) when the node does not lead. */
  write(envelope: LeaseEnvelope): Promise<void> {
    return this.ledger.put(leaseKey(envelope.transactionId), JSON.stringify(LeaseEnvelopeSchema.parse(envelope)));
  }

  /** Every envelope the ledger holds; throws on one it cannot read (a new master must not guess). */
  async read(): Promise<LeaseEnvelope[]> {
    const entries = await this.ledger.list('leases', MAX_LEDGER_TRANSACTION_RECORDS);
    return entries.map(({ key, value }) => {
      try {
        return LeaseEnvelopeSchema.parse(JSON.parse(value));
      } catch (error) {
        throw new AppError('state.invalid', `the ledger's ${key} is not a lease record`, [], { cause: error });
      }
    });
  }
}
