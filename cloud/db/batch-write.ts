/** Batched writes through the toolbox, 25 per request, retrying unprocessed items a bounded number of times. */
import { BatchWriteCommand, executeBatchWrite } from 'dynamodb-toolbox';
import type { IBatchWriteRequest } from 'dynamodb-toolbox/table/actions/batchWrite';
import type { FleetTable } from './fleet-table';

const BATCH_SIZE = 25;

export async function batchWrite(table: FleetTable, requests: readonly IBatchWriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_SIZE) {
    // Typed as a one-element tuple: the toolbox's per-request entity inference recurses too deep on plain arrays.
    const chunk = requests.slice(i, i + BATCH_SIZE) as [IBatchWriteRequest];
    const result = await executeBatchWrite({ maxAttempts: 5 }, table.build(BatchWriteCommand).requests(...chunk));
    const left = Object.values(result.UnprocessedItems ?? {}).reduce((sum, items) => sum + items.length, 0);
    if (left > 0) throw new Error(`${left} writes stayed unprocessed after retries`);
  }
}
