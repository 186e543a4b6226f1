/**
 * Capacity of the edge agent: 1,000 connected virtual chargers, each in a transaction, sending per-phase MeterValues
 * every 10 s plus heartbeats, with load management running (closed loop on). The agent runs as its own process, started
 * as a site runs it (`npm start -- --config`), so that its CPU and memory are measured apart from the chargers. The
 * window is long enough to hold a lease renewal of every charger (every 40 s with 120 s leases).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { realClock } from '../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../sim/charger/virtual-charger';
import { startAgentProcess } from './agent-process';
import { CallLedger } from './call-ledger';
import { percentile, printTable } from './measure';
import { UsageWindow } from './process-usage';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long the window's last calls may take to be answered before they count as lost. */
const SETTLE_MS = 10_000;

interface CapacityRun {
  readonly row: string[];
  /** What went wrong, one line per kind, and what the fleet process itself was doing. */
  readonly notes: string[];
}

function writeSiteConfig(dir: string, ids: readonly string[]): string {
  const file = path.join(dir, 'site.json');
  const count = ids.length;
  writeFileSync(
    file,
    JSON.stringify({
      $schemaVersion: 1,
      site: {
        $schemaVersion: 1,
        id: 'capacity',
        circuits: [{ id: 'main', parent: null, fuseAmps: count * 10 }],
        chargers: ids.map((id) => ({ id, circuit: 'main', phases: 3, maxAmps: 32 })),
      },
      policy: { $schemaVersion: 1, budget: { unit: 'A', min: 6, max: count * 10 }, closedLoop: { enabled: true } },
      // Basic auth off: 1,000 scrypt checks at connect time would only slow the set-up.
      ocpp: {
        host: '127.0.0.1',
        port: 0,
        basicAuth: false,
        heartbeatIntervalSeconds: 30,
        meterSampleIntervalSeconds: 10,
      },
      idTags: { acceptAny: true, accepted: [] },
      dataDir: path.join(dir, 'data'),
      logging: { level: 'info' },
    }),
  );
  return file;
}

/** Connects `count` chargers, starts their transactions spread over one sample interval, then measures `windowSeconds`. */
export async function capacity(count: number, windowSeconds: number): Promise<CapacityRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-capacity-'));
  const ids = Array.from({ length: count }, (_, i) => `CP-${i + 1}`);
  const agent = await startAgentProcess(writeSiteConfig(dir, ids));
  const ledger = new CallLedger();
  const chargers = ids.map(
    (id) =>
      new VirtualCharger({ ...DEFAULT_CHARGER, id, rampDelayMs: 500 }, agent.url, realClock, (error) =>
        ledger.onChargerError(error),
      ),
  );
  const fleetDelay = monitorEventLoopDelay({ resolution: 10 });
  try {
    chargers.forEach((c) => ledger.attach(c));
    for (let i = 0; i < count; i += 100) await Promise.all(chargers.slice(i, i + 100).map((c) => c.connect()));
    // Transactions start spread over one sample interval, as on a real site: MeterValues do not all fall in the same second.
    for (let i = 0; i < count; i += count / 10) {
      const started = performance.now();
      await Promise.all(
        chargers
          .slice(i, i + count / 10)
          .map(async (c) => (await c.plugIn(DEFAULT_CAR), await c.authorizeAndStart('TAG'))),
      );
      await sleep(Math.max(0, 1_000 - (performance.now() - started)));
    }
    await sleep(15_000);
    const usage = new UsageWindow(agent.pid);
    ledger.startWindow();
    usage.start();
    fleetDelay.enable();
    await sleep(windowSeconds * 1000);
    const { cpuPercent, peakRssMb, peakRssAnonMb, peakRssFileMb } = usage.stop();
    await ledger.closeWindow(SETTLE_MS);
    fleetDelay.disable();
    const p99 = ledger.latenciesMs.length > 0 ? percentile(ledger.latenciesMs, 0.99) : NaN;
    const notes = [
      ...[...ledger.failures].map(([what, n]) => `${n} × ${what}`),
      ...(ledger.disconnections > 0 ? [`${ledger.disconnections} charger connections closed during the window`] : []),
      `slowest round trip ${Math.max(...ledger.latenciesMs).toFixed(0)} ms; fleet process event-loop delay p99 ${(fleetDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(fleetDelay.max / 1e6).toFixed(1)} ms`,
    ];
    return {
      row: [
        `${count}`,
        `${windowSeconds}`,
        cpuPercent.toFixed(1),
        // The comparable figure across runs with different numbers of calls in the window (docs/benchmarks.md).
        ((cpuPercent / ledger.sent) * 1000).toFixed(2),
        peakRssMb.toFixed(0),
        `${peakRssAnonMb.toFixed(0)} / ${peakRssFileMb.toFixed(0)}`,
        p99.toFixed(1),
        `${ledger.sent}`,
        `${ledger.latenciesMs.length}`,
        `${ledger.lost}`,
      ],
      notes,
    };
  } finally {
    await Promise.all(chargers.map((c) => c.close().catch(() => undefined)));
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 1,000 chargers in transactions (targets: under 10% of one core, under 200 MB RSS, p99 under 100 ms, nothing lost). */
export async function benchEdgeCapacity(): Promise<void> {
  const { row, notes } = await capacity(1_000, 60);
  printTable(
    'Edge capacity: chargers in transactions, MeterValues every 10 s, heartbeats every 30 s, load management on (agent process only)',
    [
      'chargers',
      'window s',
      'CPU % of a core',
      'CPU % per 1,000 calls',
      'peak RSS MB',
      'of which private / file MB',
      'round trip p99 ms',
      'calls in window',
      'answered',
      'lost or failed',
    ],
    [row],
  );
  for (const note of notes) console.log(note);
}
