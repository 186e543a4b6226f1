import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, createFleetRepositories } from '../../../../cloud/db/create-repositories';
import { startDynamoDbServer } from '../../../../cloud/local/dynamodb-server';
import { GSI1, TTL_ATTRIBUTE } from '../../../../cloud/db/table-definition';

describe('startDynamoDbServer', () => {
  it('should serve the fleet table from dynalite when Java is not used, and stop cleanly', async () => {
    const server = await startDynamoDbServer({ engine: 'dynalite', tableName: 'fleet' });
    const client = server.createClient();
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'fleet' }));
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([GSI1.name]);

      const repositories = createFleetRepositories({
        documentClient: createDocumentClient(client),
        tableName: 'fleet',
        retention: { telemetryDays: 1, eventDays: 1 },
      });
      await repositories.tenants.put({ id: 't-1', name: 'T', status: 'active', createdAt: 1 });
      expect((await repositories.tenants.get('t-1'))?.name).toBe('T');
    } finally {
      client.destroy();
      await server.stop();
    }
    await expect(client.send(new DescribeTableCommand({ TableName: 'fleet' }))).rejects.toThrow();
  });

  it('should start DynamoDB Local with TTL enabled on the fleet table', async () => {
    const server = await startDynamoDbServer({ engine: 'dynamodb-local', tableName: 'fleet' });
    const client = server.createClient();
    try {
      const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: 'fleet' }));
      expect(TimeToLiveDescription?.AttributeName).toBe(TTL_ATTRIBUTE);
    } finally {
      client.destroy();
      await server.stop();
    }
  });
});
