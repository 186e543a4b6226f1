/** The fleet table's key schema, indexes and TTL attribute: the one definition shared by the data layer, the local stack and CDK. */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Partition and sort key of the base table (both strings, overloaded by entity). */
export const PARTITION_KEY = { name: 'PK', type: 'string' } as const;
export const SORT_KEY = { name: 'SK', type: 'string' } as const;

/** GSI1: overloaded inverted lookups (today: gateway thing name -> registration). Projects everything. */
export const GSI1 = {
  name: 'GSI1',
  partitionKey: { name: 'GSI1PK', type: 'string' },
  sortKey: { name: 'GSI1SK', type: 'string' },
} as const;

/** Items with this attribute (epoch seconds) are deleted by DynamoDB TTL after that time. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Everything infra needs to declare the same table (CDK maps `type: 'string'` to `AttributeType.STRING`). */
export const FLEET_TABLE_DEFINITION = {
  partitionKey: PARTITION_KEY,
  sortKey: SORT_KEY,
  globalSecondaryIndexes: [GSI1],
  timeToLiveAttribute: TTL_ATTRIBUTE,
  billingMode: 'PAY_PER_REQUEST',
} as const;

/** A CreateTable request for the fleet table (on-demand), used by the local stack and tests. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [PARTITION_KEY, SORT_KEY, GSI1.partitionKey, GSI1.sortKey].map((key) => ({
      AttributeName: key.name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: PARTITION_KEY.name, KeyType: 'HASH' },
      { AttributeName: SORT_KEY.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1.name,
        KeySchema: [
          { AttributeName: GSI1.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: GSI1.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
