/**
 * The agent in front of a CSMS (@voltbras/ts-ocpp's CentralSystem, loopback): the latency a charger's call gains
 * through the agent against the same call straight to the CSMS, at 32 and 500 chargers; how long the links take to
 * come back after the CSMS returns from a long outage (on a virtual clock for the links' back-off); how fast a queued
 * backlog drains; and what one queued message costs.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import type { Clock } from '../edge/platform/clock';
import { DATABASE_FILE, openStoreDatabase } from '../edge/store/store-database';
import { SqliteUpstreamForwardLog } from '../edge/store/upstream-forward-log';
import { UpstreamGroupCommit } from '../edge/store/upstream-group-commit';
import type { UpstreamConfigInput } from '../edge/upstream/upstream-config';
import { ManualClock } from '../sim/charger/sim-clock';
import { passwordOf, startEdge, type EdgeFixture } from '../test/integration/edge/support/edge-fixture';
import { rawChargePoint } from '../test/integration/ocpp/support/raw-charge-point';
import { TsOcppCsms } from '../test/integration/upstream/support/ts-ocpp-csms';
import { percentile, printTable } from './measure';

const ROUNDS = 3;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ms = (value: number) => value.toFixed(1);

const meterValues = (wh: number, transactionId?: number) => ({
  connectorId: 1,
  ...(transactionId !== undefined && { transactionId }),
  meterValue: [
    {
      timestamp: new Date().toISOString(),
      sampledValue: [
        { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: '15.9', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
        { value: '11020', measurand: 'Power.Active.Import', unit: 'W' },
      ],
    },
  ],
});

/** What a charger answers the agent's own calls. */
function answering(client: RPCClient): RPCClient {
  client.handle(({ method }) =>
    Promise.resolve(method === 'GetConfiguration' ? { configurationKey: [] } : { status: 'Accepted' }),
  );
  return client;
}

/** Connects `count` charge points, a few at a time (as chargers come up after a power cut, not all in one go). */
async function connectAll(count: number, make: (i: number) => RPCClient): Promise<RPCClient[]> {
  const clients: RPCClient[] = [];
  for (let first = 0; first < count; first += 25) {
    const batch = Array.from({ length: Math.min(25, count - first) }, (_, k) => answering(make(first + k)));
    await Promise.all(batch.map((c) => c.connect()));
    clients.push(...batch);
  }
  return clients;
}

/** Every client calls once per `periodMs`, the clients spread evenly over it, ROUNDS times; the latencies in ms. */
async function latencies(
  clients: RPCClient[],
  method: string,
  params: () => unknown,
  periodMs: number,
): Promise<number[]> {
  const samples: number[] = [];
  await Promise.all(
    clients.map(async (client, i) => {
      await sleep((periodMs * i) / clients.length);
      for (let round = 0; round < ROUNDS; round++) {
        const start = process.hrtime.bigint();
        await client.call(method, params());
        const took = Number(process.hrtime.bigint() - start) / 1e6;
        samples.push(took);
        await sleep(Math.max(0, periodMs - took));
      }
    }),
  );
  return samples;
}

const upstream = (csms: TsOcppCsms, extra: Partial<UpstreamConfigInput> = {}): UpstreamConfigInput => ({
  csmsUrl: csms.url,
  unknownTags: 'accept',
  ...extra,
});

/** Heartbeat (passed through) and MeterValues (through the forward log) latencies, direct and through the agent. */
async function passthrough(chargers: number, periodMs: number): Promise<string[][]> {
  const csms = await TsOcppCsms.start();
  const edge = await startEdge({ chargers, upstream: upstream(csms) });
  try {
    const direct = await connectAll(chargers, (i) => rawChargePoint({ endpoint: csms.url, identity: `DIRECT-${i}` }));
    const proxied = await connectAll(chargers, (i) =>
      rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: `CP-${i + 1}`, password: passwordOf(`CP-${i + 1}`) }),
    );
    while (!proxied.every((_, i) => edge.agent.upstream?.isOpen(`CP-${i + 1}`))) await sleep(10);
    const rows: string[][] = [];
    for (const [method, params] of [
      ['Heartbeat', () => ({})],
      ['MeterValues', () => meterValues(1000)],
    ] as const) {
      const straight = await latencies(direct, method, params, periodMs);
      const through = await latencies(proxied, method, params, periodMs);
      const [d50, d99, t50, t99] = [
        percentile(straight, 0.5),
        percentile(straight, 0.99),
        percentile(through, 0.5),
        percentile(through, 0.99),
      ];
      rows.push([
        `${chargers} chargers, ${method}, ${Math.round((chargers * 1000) / periodMs)}/s`,
        `${ms(d50)} / ${ms(d99)}`,
        `${ms(t50)} / ${ms(t99)}`,
        `${ms(t50 - d50)} / ${ms(t99 - d99)}`,
      ]);
    }
    await Promise.all([...direct, ...proxied].map((c) => c.close({ force: true })));
    return rows;
  } finally {
    await edge.close();
    await csms.close();
  }
}

/**
 * After `outageMinutes` of CSMS outage (on the links' virtual clock, so that their back-off reaches its cap in
 * seconds), the real seconds until each link is open again; from the CSMS's return the virtual clock follows the real.
 */
async function reconnect(chargers: number, outageMinutes: number): Promise<number[]> {
  const virtual = new ManualClock();
  const clock: Clock = { now: () => virtual.now(), after: (delay, fn) => virtual.after(delay, fn) };
  let csms = await TsOcppCsms.start();
  const edge = await startEdge({ chargers, upstream: upstream(csms), upstreamClock: clock });
  const ids = Array.from({ length: chargers }, (_, i) => `CP-${i + 1}`);
  const open = () => ids.filter((id) => edge.agent.upstream?.isOpen(id)).length;
  try {
    const clients = await connectAll(chargers, (i) =>
      rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: ids[i] ?? '', password: passwordOf(ids[i] ?? '') }),
    );
    while (open() < chargers) await sleep(10);
    await csms.close();
    while (open() > 0) await sleep(10);
    for (let s = 0; s < outageMinutes * 60; s++) {
      virtual.advance(1_000);
      await sleep(2);
    }
    csms = await csms.restart();
    // From the CSMS's return on, the links' clock follows the real one: what is measured is real time.
    const back = process.hrtime.bigint();
    const elapsedMs = () => Number(process.hrtime.bigint() - back) / 1e6;
    const times = new Map<string, number>();
    while (times.size < chargers) {
      const before = elapsedMs();
      await sleep(10);
      virtual.advance(elapsedMs() - before);
      for (const id of ids) if (!times.has(id) && edge.agent.upstream?.isOpen(id)) times.set(id, elapsedMs());
    }
    await Promise.all(clients.map((c) => c.close({ force: true })));
    return [...times.values()].map((t) => t / 1000);
  } finally {
    await edge.close();
    await csms.close();
  }
}

/** A backlog of `transactions` whole transactions (start, two meter values, stop) per charger, queued before start. */
function fillBacklog(dataDir: string, chargers: number, transactions: number): number {
  const db = openStoreDatabase(dataDir);
  try {
    const log = new SqliteUpstreamForwardLog(db, 1_000_000);
    let messages = 0;
    for (let c = 1; c <= chargers; c++) {
      for (let t = 0; t < transactions; t++) {
        const at = Date.UTC(2026, 11, 1) + t * 3_600_000;
        const start = log.appendStart(
          `CP-${c}`,
          { connectorId: 1, idTag: 'TAG-1', meterStart: t * 10_000, timestamp: new Date(at).toISOString() },
          at,
        );
        log.answered(start.provisionalId, 'provisional');
        log.append(`CP-${c}`, 'MeterValues', meterValues(t * 10_000 + 3_000, start.provisionalId), at);
        log.append(`CP-${c}`, 'MeterValues', meterValues(t * 10_000 + 6_000, start.provisionalId), at);
        log.append(
          `CP-${c}`,
          'StopTransaction',
          { transactionId: start.provisionalId, meterStop: t * 10_000 + 7_000, timestamp: new Date(at).toISOString() },
          at,
        );
        messages += 4;
      }
    }
    return messages;
  } finally {
    db.close();
  }
}

/** Messages per second for the whole site while its backlog drains to a CSMS that is up. */
async function drainRate(chargers: number, transactions: number): Promise<{ messages: number; perSecond: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-drain-'));
  const messages = fillBacklog(dataDir, chargers, transactions);
  const csms = await TsOcppCsms.start();
  let edge: EdgeFixture | undefined;
  try {
    edge = await startEdge({ chargers, upstream: upstream(csms), dataDir });
    const fixture = edge;
    const backlog = () =>
      Array.from({ length: chargers }, (_, i) => fixture.agent.upstream?.backlog(`CP-${i + 1}`).messages ?? 0).reduce(
        (a, b) => a + b,
        0,
      );
    const start = process.hrtime.bigint();
    const clients = await connectAll(chargers, (i) =>
      rawChargePoint({ endpoint: fixture.agent.ocppUrl, identity: `CP-${i + 1}`, password: passwordOf(`CP-${i + 1}`) }),
    );
    while (backlog() > 0) await sleep(5);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await Promise.all(clients.map((c) => c.close({ force: true })));
    return { messages, perSecond: messages / seconds };
  } finally {
    await edge?.close();
    await csms.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Disk bytes per queued MeterValues (three sampled values) in the agent's database, WAL checkpointed. */
function diskBytesPerMessage(messages: number): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-log-'));
  const db = openStoreDatabase(dir);
  try {
    const log = new SqliteUpstreamForwardLog(db, 1_000_000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(path.join(dir, DATABASE_FILE)).size;
    for (let n = 0; n < messages; n++) log.append('CP-1', 'MeterValues', meterValues(n, -2 - (n % 50)), n);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return (statSync(path.join(dir, DATABASE_FILE)).size - before) / messages;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The forward log's own cost, without sockets: `messages` MeterValues in and out again (as many chargers, one message
 * each, arriving in one event-loop turn), one commit per write as before group commits, and through group commits.
 * Milliseconds per message in + out, on the agent's database file: until every write is settled (on disk), and of
 * those the event loop was busy (the rest it was free for other work: the group commits' flush runs off it).
 */
async function commitCost(messages: number): Promise<{ oneByOne: Cost; grouped: Cost }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-commit-'));
  const db = openStoreDatabase(dir);
  try {
    const log = new SqliteUpstreamForwardLog(db, 1_000_000);
    const commits = new UpstreamGroupCommit(db);
    const ids = Array.from({ length: messages }, (_, i) => `CP-${i + 1}`);
    const timed = async (run: () => Promise<void>): Promise<Cost> => {
      const start = process.hrtime.bigint();
      const loop = performance.eventLoopUtilization();
      await run();
      return {
        settledMs: Number(process.hrtime.bigint() - start) / 1e6 / messages,
        loopMs: performance.eventLoopUtilization(loop).active / messages,
      };
    };
    const oneByOne = await timed(async () => {
      const seqs = ids.map((id, n) => log.append(id, 'MeterValues', meterValues(n), n));
      seqs.forEach((seq, i) => log.delivered(seq, { chargerId: ids[i] ?? '' }));
      await Promise.resolve();
    });
    const grouped = await timed(async () => {
      const seqs = await Promise.all(
        ids.map((id, n) => commits.run(() => log.append(id, 'MeterValues', meterValues(n), n))),
      );
      await Promise.all(seqs.map((seq, i) => commits.run(() => log.delivered(seq, { chargerId: ids[i] ?? '' }))));
    });
    return { oneByOne, grouped };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds per message: until settled, and of those the event loop was busy. */
interface Cost {
  readonly settledMs: number;
  readonly loopMs: number;
}

/** Runs the upstream benchmark and prints its tables. */
export async function benchUpstream(): Promise<void> {
  const overhead = [
    ...(await passthrough(32, 1_000)),
    ...(await passthrough(500, 5_000)),
    ...(await passthrough(500, 1_000)),
  ];
  printTable(
    `upstream: a charger call answered by the CSMS, straight vs through the agent (ms p50 / p99; each charger ${ROUNDS} calls, evenly spread, at the rate shown)`,
    ['load', 'direct', 'through the agent', 'added'],
    overhead,
  );
  const rows: string[][] = [];
  for (const chargers of [32, 500]) {
    const times = await reconnect(chargers, 10);
    rows.push([
      `${chargers} chargers`,
      percentile(times, 0.5).toFixed(1),
      percentile(times, 0.95).toFixed(1),
      Math.max(...times).toFixed(1),
    ]);
  }
  printTable(
    'upstream: time until every link is open again after the CSMS returns from a 10 min outage (s; default back-off and siteRetryWithinMs)',
    ['site', 'p50', 'p95', 'max'],
    rows,
  );
  const one = await drainRate(1, 250);
  const site = await drainRate(32, 50);
  printTable(
    'upstream: backlog drain to a CSMS that is up, and cost of a queued message',
    ['figure', 'value'],
    [
      [`drain, 1 charger (${one.messages} messages, messages/s)`, one.perSecond.toFixed(0)],
      [`drain, 32 chargers (${site.messages} messages, messages/s per site)`, site.perSecond.toFixed(0)],
      ['disk bytes per queued MeterValues (3 sampled values)', diskBytesPerMessage(20_000).toFixed(0)],
    ],
  );
  const cost = await commitCost(500);
  printTable(
    'upstream: forward log, 500 MeterValues in and out (500 chargers, one message each, in one turn), ms per message',
    ['commits', 'until on disk', 'event loop busy'],
    [
      ['one per write (before group commits)', cost.oneByOne.settledMs.toFixed(2), cost.oneByOne.loopMs.toFixed(2)],
      ['group commits, flushed off the event loop', cost.grouped.settledMs.toFixed(3), cost.grouped.loopMs.toFixed(3)],
    ],
  );
}
