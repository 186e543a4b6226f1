/**
 * The outbox's copies in the ledger (edge/cluster/outbox-recorder.ts), part of `npm run bench -- ledger-writes`: what a
 * 1,000-charger site's master writes to etcd for its outbox. Each telemetry interval (10 s by default) its control loop
 * queues one telemetry sample and one session message per charging session whose energy grew: 1,001 messages at once.
 * Rows: that burst with the cloud away (every message copied; in the next bursts each session's progress replaces its
 * earlier copy), the cloud back (the backlog acknowledged: its copies deleted), and the burst with the cloud up
 * (acknowledged within 100 ms, before the flush: nothing written). Figures: the enqueue's own time (what the control
 * loop waits, the copy's bookkeeping included), the time until the burst's last write went through (it waits for the
 * flush interval first), the etcd transactions, the keys written per second while writing, the copies in etcd after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LeaderLedger, LedgerRecord } from '../edge/cluster/leader-ledger';
import { OUTBOX_FLUSH_MS } from '../edge/cluster/ledger-outbox';
import { OutboxRecorder } from '../edge/cluster/outbox-recorder';
import { Outbox } from '../edge/sync/outbox';
import { openOutboxDatabase } from '../edge/sync/outbox-database';
import type { SessionBody, TelemetryBody } from '../shared/sync/sync-messages';
import { percentile, printTable } from './measure';

const SESSIONS = 1_000;
const PROGRESS_BURSTS = 2;
const ACKNOWLEDGED_AFTER_MS = 100;

const telemetry: TelemetryBody = {
  evAmps: [500, 500, 500],
  limitAmps: [600, 600, 600],
  fuseAmps: [630, 630, 630],
  budget: { unit: 'A', value: 600 },
  meter: 'ok',
  charging: SESSIONS,
  paused: 0,
};

const session = (k: number, energyWh: number): SessionBody => ({
  sessionId: String(100_000 + k),
  chargerId: `CP-${k}`,
  connectorId: 1,
  idTag: 'TAG-0123456789ABCDEF',
  state: 'updated',
  startedAt: 1_764_800_000_000 + k,
  energyWh,
});

const quiet = { warn: () => undefined, error: () => undefined };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchOutboxCopies(ledger: LeaderLedger): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-outbox-copies-'));
  const db = openOutboxDatabase(dir);
  const counts = { writes: 0, keys: 0, firstAt: 0, lastAt: 0 };
  const writer = {
    putAll: async (entries: readonly LedgerRecord[], deletes: readonly string[]) => {
      counts.firstAt ||= performance.now();
      await ledger.putAll(entries, deletes);
      counts.writes += 1;
      counts.keys += entries.length + deletes.length;
      counts.lastAt = performance.now();
    },
  };
  const outbox = new Outbox(db, { siteId: 'bench-site', maxBytes: 256 * 1024 ** 2, now: Date.now });
  const recorder = new OutboxRecorder(writer, quiet);
  recorder.attach(outbox);
  recorder.begin([]);
  const idle = async () => {
    for (;;) {
      const { pending, writing, deletes } = recorder.status();
      if (pending + writing + deletes === 0) return;
      await pause(5);
    }
  };
  /** Every stored message acknowledged, as the publisher does batch by batch. */
  const acknowledgeAll = () => {
    for (const stream of ['telemetry', 'sessions'] as const)
      for (let batch = outbox.read(stream, 0, 100); batch.length > 0; batch = outbox.read(stream, 0, 100))
        outbox.acknowledge(batch.map((row) => row.seq));
  };
  const rows: string[][] = [];
  const measure = async (label: string, act: () => Promise<number[]>) => {
    Object.assign(counts, { writes: 0, keys: 0, firstAt: 0, lastAt: 0 });
    const start = performance.now();
    const enqueueMs = await act();
    await idle();
    // Anything still to come would be written within one more flush interval.
    await pause(OUTBOX_FLUSH_MS + 50);
    await idle();
    const writingS = (counts.lastAt - counts.firstAt) / 1000;
    rows.push([
      label,
      String(enqueueMs.length),
      enqueueMs.length > 0 ? percentile(enqueueMs, 0.5).toFixed(3) : '',
      enqueueMs.length > 0 ? percentile(enqueueMs, 0.99).toFixed(3) : '',
      counts.writes > 0 ? (counts.lastAt - start).toFixed(0) : '',
      String(counts.writes),
      String(counts.keys),
      writingS > 0 ? (counts.keys / writingS).toFixed(0) : '',
      String((await ledger.first('outbox', 100_000)).entries.length),
    ]);
  };
  const burst = (energyWh: number) => {
    const times = [timed(() => outbox.enqueue('telemetry', telemetry))];
    for (let k = 0; k < SESSIONS; k++) times.push(timed(() => outbox.enqueue('sessions', session(k, energyWh))));
    return times;
  };
  try {
    await measure('cloud away: a burst', () => Promise.resolve(burst(1)));
    for (let n = 2; n <= PROGRESS_BURSTS + 1; n++)
      await measure(`cloud away: burst ${n} (sessions' progress)`, () => Promise.resolve(burst(n)));
    await measure('cloud back: backlog acknowledged', () => {
      acknowledgeAll();
      return Promise.resolve([]);
    });
    await measure(`cloud up: acknowledged within ${ACKNOWLEDGED_AFTER_MS} ms`, async () => {
      const times = burst(PROGRESS_BURSTS + 2);
      await pause(ACKNOWLEDGED_AFTER_MS);
      acknowledgeAll();
      return times;
    });
  } finally {
    recorder.fenced();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    `Cluster ledger: outbox copies (a 1,000-charger site's telemetry interval: 1 sample + ${SESSIONS} session messages)`,
    [
      'burst',
      'enqueues',
      'enqueue median ms',
      'p99 ms',
      'last write ms',
      'etcd writes',
      'keys',
      'keys/s',
      'copies in etcd',
    ],
    rows,
  );
}

function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}
