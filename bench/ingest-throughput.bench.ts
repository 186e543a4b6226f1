/**
 * Ingest throughput into the local DynamoDB: site batches (telemetry, sessions, events; 25 messages each) from 100
 * registered gateways, through the real ingest core (cloud/ingest/ingestBatch: validation, attribution by gateway,
 * the message-id ledger) against DynamoDB Local started as the tests start it. Then the same batches again (a replay
 * after a lost acknowledgement): every message is a duplicate and is dropped. DynamoDB Local is not DynamoDB: the
 * rates say what our code costs per message and how many round trips it makes, not what AWS would sustain.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createFleetRepositories } from '../cloud/db/create-repositories';
import { createDynamoDbMessageLedger } from '../cloud/ingest/dynamodb-message-ledger';
import { ingestBatch } from '../cloud/ingest/ingest-batch';
import type { IngestDeps } from '../cloud/ingest/ingest-deps';
import { startDynamoDbServer } from '../cloud/local/dynamodb-server';
import { SITE_STREAMS } from '../shared/sync/sync-topics';
import { percentile, printTable } from './measure';
import { siteBatch, thingNameOf, type PublishedBatch } from './site-batches';

const SITES = 100;
const BATCH_MESSAGES = 25;
/** Batches per site and stream in each run: 100 sites × 3 streams × 2 = 600 batches, 15,000 messages. */
const ROUNDS = 2;
const START_AT = Date.UTC(2026, 10, 2, 8);
const RETENTION = { telemetryDays: 30, eventDays: 90 };

/** Counts the requests `client` sends (each `send` is one HTTP round trip: DynamoDB Local never throttles, so no retries). */
function requestCounter(client: DynamoDBClient): () => number {
  let sent = 0;
  client.middlewareStack.add(
    (next) => (args) => {
      sent += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return () => sent;
}

/** Runs `tasks` with at most `inFlight` at a time (as that many Lambda instances would). */
async function pool(tasks: readonly (() => Promise<void>)[], inFlight: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

interface RunFigures {
  readonly messages: number;
  readonly seconds: number;
  readonly batchMs: readonly number[];
  readonly cpuMs: number;
  /** One at a time only: DynamoDB requests and milliseconds of each batch, by stream. */
  readonly byStream: ReadonlyMap<string, { requests: number[]; ms: number[] }>;
}

async function ingestAll(
  deps: IngestDeps,
  requestsSent: () => number,
  batches: readonly PublishedBatch[],
  inFlight: number,
  expect: 'stored' | 'duplicates',
): Promise<RunFigures> {
  const batchMs: number[] = [];
  const byStream = new Map<string, { requests: number[]; ms: number[] }>(
    SITE_STREAMS.map((stream) => [stream, { requests: [], ms: [] }]),
  );
  const cpu = process.cpuUsage();
  const start = performance.now();
  await pool(
    batches.map((batch) => async () => {
      const before = requestsSent();
      const began = performance.now();
      const result = await ingestBatch(deps, {
        thingName: batch.thingName,
        topic: batch.topic,
        payload: batch.payload,
      });
      const ms = performance.now() - began;
      batchMs.push(ms);
      if (result.rejected.length > 0 || result[expect] !== batch.messages)
        throw new Error(`unexpected ingest result: ${JSON.stringify(result).slice(0, 500)}`);
      // With several batches in flight the counter moves for all of them: the split by stream is taken one at a time.
      if (inFlight === 1) {
        byStream.get(batch.stream)!.requests.push(requestsSent() - before);
        byStream.get(batch.stream)!.ms.push(ms);
      }
    }),
    inFlight,
  );
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    messages: batches.reduce((n, b) => n + b.messages, 0),
    seconds,
    batchMs,
    cpuMs: (used.user + used.system) / 1000,
    byStream,
  };
}

function workload(label: string): PublishedBatch[] {
  const batches: PublishedBatch[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let s = 1; s <= SITES; s++) {
      for (const stream of SITE_STREAMS)
        batches.push(siteBatch(`site-${String(s).padStart(3, '0')}`, stream, BATCH_MESSAGES, label, round, START_AT));
    }
  }
  return batches;
}

async function seedGateways(deps: IngestDeps): Promise<void> {
  // Ingest attributes a batch by its gateway alone (GSI1 on the thing name), so the gateways are all it needs.
  for (let s = 1; s <= SITES; s++) {
    const siteId = `site-${String(s).padStart(3, '0')}`;
    await deps.repositories.gateways.create({
      tenantId: `tenant-${s % 10}`,
      siteId,
      thingName: thingNameOf(siteId),
      credentialId: `cert-${siteId}`,
      status: 'active',
      createdAt: START_AT,
    });
  }
}

/** Prints ingest throughput (fresh batches and their replay, one and ten batches in flight) and round trips per batch. */
export async function benchIngestThroughput(): Promise<void> {
  process.stderr.write('ingest: starting DynamoDB Local…\n');
  const server = await startDynamoDbServer({ tableName: 'ampshare-bench-ingest' });
  const client = server.createClient();
  const requestsSent = requestCounter(client);
  const documentClient = createDocumentClient(client);
  const deps: IngestDeps = {
    repositories: createFleetRepositories({ documentClient, tableName: 'ampshare-bench-ingest', retention: RETENTION }),
    ledger: createDynamoDbMessageLedger({ documentClient, tableName: 'ampshare-bench-ingest' }),
    clock: Date.now,
  };
  try {
    await seedGateways(deps);
    const rows: string[][] = [];
    const oneAtATime = new Map<'fresh' | 'replay', RunFigures['byStream']>();
    for (const inFlight of [1, 10]) {
      const batches = workload(`in${inFlight}`);
      for (const pass of ['fresh', 'replay'] as const) {
        process.stderr.write(`ingest: ${batches.length} ${pass} batches, ${inFlight} in flight…\n`);
        const run = await ingestAll(deps, requestsSent, batches, inFlight, pass === 'fresh' ? 'stored' : 'duplicates');
        if (inFlight === 1) oneAtATime.set(pass, run.byStream);
        rows.push([
          pass === 'fresh' ? 'new messages' : 'replay (all duplicates)',
          `${inFlight}`,
          `${batches.length}`,
          run.messages.toLocaleString('en-US'),
          run.seconds.toFixed(1),
          Math.round(run.messages / run.seconds).toLocaleString('en-US'),
          percentile(run.batchMs, 0.5).toFixed(1),
          percentile(run.batchMs, 0.99).toFixed(1),
          (run.cpuMs / run.messages).toFixed(2),
        ]);
      }
    }
    printTable(
      `Ingest into ${server.engine} (${SITES} sites, batches of ${BATCH_MESSAGES}, one stream per batch; DynamoDB Local is not DynamoDB)`,
      [
        'batches',
        'in flight',
        'count',
        'messages',
        'seconds',
        'messages/s',
        'batch p50 ms',
        'batch p99 ms',
        'ingest CPU ms/message',
      ],
      rows,
    );
    const perStream = (pass: 'fresh' | 'replay', stream: string) => {
      const { requests, ms } = oneAtATime.get(pass)!.get(stream)!;
      return [(requests.reduce((a, b) => a + b, 0) / requests.length).toFixed(1), percentile(ms, 0.5).toFixed(1)];
    };
    printTable(
      `Per batch of ${BATCH_MESSAGES}, one at a time: DynamoDB requests (round trips) and median ms`,
      ['stream', 'new: requests', 'new: ms', 'replay: requests', 'replay: ms'],
      SITE_STREAMS.map((stream) => [stream, ...perStream('fresh', stream), ...perStream('replay', stream)]),
    );
  } finally {
    client.destroy();
    await server.stop();
  }
}
