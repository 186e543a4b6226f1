/**
 * Capacity of the edge agent: 1,000 connected virtual chargers, each in a transaction, sending per-phase MeterValues
 * every 10 s plus heartbeats, with load management running (closed loop on). The agent runs as its own process
 * (`node --import tsx edge/main.ts --config ...`) so that its CPU and memory are measured apart from the chargers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realClock } from '../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../sim/charger/virtual-charger';
import { printTable } from './measure';

const ROOT = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
function usage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssMb: rssKb / 1024 };
}

function startAgentProcess(configFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'edge/main.ts', '--config', configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(ws:\/\/[^"]+)"/.exec(buffer);
      if (match) resolve({ child, url: match[1]! });
    });
  });
}

/** Round trips of every call the chargers make, matched by message id. */
class RoundTrips {
  readonly latenciesMs: number[] = [];
  sent = 0;
  errors = 0;
  private readonly open = new Map<string, number>();

  attach(charger: VirtualCharger): void {
    charger.client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      const [type, id] = JSON.parse(String(message)) as [number, string];
      const key = `${charger.spec.id}:${id}`;
      if (outbound && type === 2) {
        this.sent += 1;
        this.open.set(key, performance.now());
      } else if (!outbound && (type === 3 || type === 4)) {
        const start = this.open.get(key);
        if (start === undefined) return;
        this.open.delete(key);
        if (type === 4) this.errors += 1;
        this.latenciesMs.push(performance.now() - start);
      }
    });
  }

  get unanswered(): number {
    return this.open.size;
  }
}

export async function capacity(count: number, windowSeconds: number): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-capacity-'));
  const ids = Array.from({ length: count }, (_, i) => `CP-${i + 1}`);
  const configFile = path.join(dir, 'site.json');
  writeFileSync(configFile, JSON.stringify({
    $schemaVersion: 1,
    site: { $schemaVersion: 1, id: 'capacity', circuits: [{ id: 'main', parent: null, fuseAmps: count * 10 }], chargers: ids.map((id) => ({ id, circuit: 'main', phases: 3, maxAmps: 32 })) },
    policy: { $schemaVersion: 1, budget: { unit: 'A', min: 6, max: count * 10 }, closedLoop: { enabled: true } },
    // Basic auth off: 1,000 scrypt checks at connect time would only slow the set-up.
    ocpp: { host: '127.0.0.1', port: 0, basicAuth: false, heartbeatIntervalSeconds: 30, meterSampleIntervalSeconds: 10 },
    idTags: { acceptAny: true, accepted: [] },
    dataDir: path.join(dir, 'data'),
    logging: { level: 'info' },
  }));
  const { child, url } = await startAgentProcess(configFile);
  const trips = new RoundTrips();
  const chargers = ids.map((id) => new VirtualCharger({ ...DEFAULT_CHARGER, id, rampDelayMs: 500 }, url, realClock, () => (trips.errors += 1)));
  try {
    chargers.forEach((c) => trips.attach(c));
    for (let i = 0; i < count; i += 100) await Promise.all(chargers.slice(i, i + 100).map((c) => c.connect()));
    // Transactions start spread over one sample interval, as on a real site: MeterValues do not all fall in the same second.
    for (let i = 0; i < count; i += count / 10) {
      const started = performance.now();
      await Promise.all(chargers.slice(i, i + count / 10).map(async (c) => (await c.plugIn(DEFAULT_CAR), await c.authorizeAndStart('TAG'))));
      await sleep(Math.max(0, 1_000 - (performance.now() - started)));
    }
    await sleep(15_000);
    trips.latenciesMs.length = 0;
    const before = usage(child.pid!);
    let peakRss = before.rssMb;
    for (let t = 0; t < windowSeconds; t += 5) {
      await sleep(5_000);
      peakRss = Math.max(peakRss, usage(child.pid!).rssMb);
    }
    const after = usage(child.pid!);
    await sleep(2_000);
    const sorted = [...trips.latenciesMs].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? NaN;
    const cpuPercent = ((after.cpuSeconds - before.cpuSeconds) / windowSeconds) * 100;
    return [`${count}`, `${windowSeconds}`, cpuPercent.toFixed(1), peakRss.toFixed(0), p99.toFixed(1), `${trips.latenciesMs.length}`, `${trips.unanswered + trips.errors}`];
  } finally {
    await Promise.all(chargers.map((c) => c.close().catch(() => undefined)));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 1,000 chargers in transactions (targets: under 10% of one core, under 200 MB RSS, p99 under 100 ms, nothing lost). */
export async function benchEdgeCapacity(): Promise<void> {
  const row = await capacity(1_000, 60);
  printTable('Edge capacity: chargers in transactions, MeterValues every 10 s, heartbeats every 30 s, load management on (agent process only)', ['chargers', 'window s', 'CPU % of a core', 'peak RSS MB', 'round trip p99 ms', 'calls answered', 'lost or failed'], [row]);
}
