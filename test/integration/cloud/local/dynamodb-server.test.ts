import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

  it('should not leave DynamoDB Local running when the process that started it exits before it answered', async () => {
    // Arrange: a process starts DynamoDB Local on a known port and exits at once, as a test hook that timed out would
    const port = 20_000 + (process.pid % 10_000);
    const server = fileURLToPath(new URL('../../../../cloud/local/dynamodb-server.ts', import.meta.url));
    const script = `import(${JSON.stringify(server)}).then((m) => { void m.startDynamoDbServer({ engine: 'dynamodb-local', port: ${port} }).catch(() => {}); setTimeout(() => process.exit(1), 500); })`;

    // Act
    await new Promise<void>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', '-e', script], () => resolve()),
    );

    // Assert: no java process is left with that port
    const left = spawnSync('pgrep', ['-f', `DynamoDBLocal.*-port ${port}`], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
  });
});
