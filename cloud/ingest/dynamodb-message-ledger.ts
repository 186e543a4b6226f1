/**
 * MessageLedger on the fleet table: one small item per message id (`INGEST#<tenant>#<site>#<messageId>`), each in
 * its own partition so that a busy site spreads its writes, expiring by TTL. Uses only GetItem/BatchGet/BatchWrite,
 * so it also runs on dynalite.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../shared/errors';
import type { MessageLedger } from './message-ledger';

export interface DynamoDbMessageLedgerDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days a message id is remembered; longer than the edge outbox can hold a message (default 35). */
  readonly retentionDays?: number;
}

const SORT_KEY = 'INGEST';
const MAX_ATTEMPTS = 5;
const GET_CHUNK = 100;
const WRITE_CHUNK = 25;

/** Partition key of one message id's ledger entry. */
export const ledgerPartition = (tenantId: string, siteId: string, messageId: string) =>
  `INGEST#${tenantId}#${siteId}#${messageId}`;

export function createDynamoDbMessageLedger(deps: DynamoDbMessageLedgerDeps): MessageLedger {
  const { documentClient: client, tableName } = deps;
  const retentionSeconds = Math.round((deps.retentionDays ?? 35) * 86_400);

  return {
    seen: (tenantId, siteId, messageIds) =>
      ledgerOperation('read the message ledger', async () => {
        const found = new Set<string>();
        const unique = [...new Set(messageIds)];
        for (let i = 0; i < unique.length; i += GET_CHUNK) {
          let keys: Record<string, unknown>[] = unique
            .slice(i, i + GET_CHUNK)
            .map((id) => ({ PK: ledgerPartition(tenantId, siteId, id), SK: SORT_KEY }));
          for (let attempt = 1; keys.length > 0; attempt++) {
            if (attempt > MAX_ATTEMPTS) throw new Error(`${keys.length} ledger reads stayed unprocessed`);
            const result = await client.send(
              new BatchGetCommand({
                RequestItems: { [tableName]: { Keys: keys, ProjectionExpression: 'messageId', ConsistentRead: true } },
              }),
            );
            for (const item of result.Responses?.[tableName] ?? []) {
              if (typeof item.messageId === 'string') found.add(item.messageId);
            }
            keys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
          }
        }
        return found;
      }),

    record: (tenantId, siteId, messageIds, now) =>
      ledgerOperation('write the message ledger', async () => {
        const expiresAt = Math.floor(now / 1000) + retentionSeconds;
        const unique = [...new Set(messageIds)];
        for (let i = 0; i < unique.length; i += WRITE_CHUNK) {
          let requests: NonNullable<ReturnType<typeof putRequest>>[] = unique
            .slice(i, i + WRITE_CHUNK)
            .map((messageId) =>
              putRequest({
                PK: ledgerPartition(tenantId, siteId, messageId),
                SK: SORT_KEY,
                tenantId,
                siteId,
                messageId,
                storedAt: now,
                expiresAt,
              }),
            );
          for (let attempt = 1; requests.length > 0; attempt++) {
            if (attempt > MAX_ATTEMPTS) throw new Error(`${requests.length} ledger writes stayed unprocessed`);
            const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
            requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
          }
        }
      }),
  };
}

const putRequest = (Item: Record<string, unknown>) => ({ PutRequest: { Item } });

async function ledgerOperation<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new AppError('internal', `data store failure while trying to ${what}`, [], { cause: error });
  }
}
