/** What every per-transaction record of the ledger (a lease envelope, an energy register) carries, and how many are read. */
import { z } from 'zod';

/** One record per open transaction: a site's open transactions fit many times over in one bounded read. */
export const MAX_LEDGER_TRANSACTION_RECORDS = 5_000;

/** The transaction a record belongs to, and the charger and connector running it. */
export const LedgerTransactionFields = {
  transactionId: z
    .number()
    .int()
    .min(-(2 ** 31))
    .max(2 ** 31 - 1),
  chargerId: z.string().min(1).max(48),
  connectorId: z.number().int().min(0).max(1000),
};
