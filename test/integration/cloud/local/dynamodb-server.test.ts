import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
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

  it("should keep DynamoDB Local answering through a terminal's Ctrl-C until the process that started it stops it", async () => {
    // Arrange: a process in a group of its own (as a shell runs a command) starts DynamoDB Local as `npm start` and
    // `npm run cloud:local` do, and handles SIGINT as they do: the parts that write to it stop first, then it
    const server = fileURLToPath(new URL('../../../../cloud/local/dynamodb-server.ts', import.meta.url));
    const script = `
      const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
      const m = await import(${JSON.stringify(server)});
      const server = await m.startDynamoDbServer({ engine: 'dynamodb-local', tableName: 'fleet', ownProcessGroup: true });
      process.once('SIGINT', async () => {
        // What writes after the signal (the IoT rules bridge recording a gateway's disconnect) comes a moment later
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const client = server.createClient();
        const answer = await client.send(new DescribeTableCommand({ TableName: 'fleet' })).then(() => 'answered', (e) => e.message);
        client.destroy();
        await server.stop();
        console.log(answer);
        process.exit(0);
      });
      console.log('ready ' + server.port);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    await expect.poll(() => output, { timeout: 60_000 }).toMatch(/^ready \d+/);
    const port = /^ready (\d+)/.exec(output)![1];

    // Act: Ctrl-C, which the terminal sends to the whole foreground process group
    process.kill(-child.pid!, 'SIGINT');
    await exited;

    // Assert
    expect(output.trim().split('\n').at(-1)).toBe('answered');
    const left = spawnSync('pgrep', ['-f', `DynamoDBLocal.*-port ${port}`], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
  }, 90_000);
});
