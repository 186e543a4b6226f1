/** Allocation time for 32, 1,000 and 10,000 connectors with every feature on, and how cost grows with size. */
import { Allocator } from '../shared/allocation/allocator';
import { BENCH_NOW, largeSite, nextRound } from './large-site';
import { printTable, time, type Timing } from './measure';

const SIZES = [32, 1_000, 10_000] as const;

/** Runs the allocation benchmark and prints its table. */
export function benchAllocate(): void {
  const results: Array<{ n: number; timing: Timing; active: number }> = [];
  for (const n of SIZES) {
    const { snapshot, policy } = largeSite(n);
    // One allocator for every round, as the control loop holds one.
    const allocator = new Allocator();
    const allocate = allocator.allocate.bind(allocator);
    // Second round: previous allocation fed back, so hysteresis, closed loop and timers all do their work.
    const first = allocate(snapshot, policy, BENCH_NOW);
    const round = nextRound(snapshot, first, 30);
    const now = BENCH_NOW + 30_000;
    const timing = time(() => allocate(round, policy, now), n >= 10_000 ? 100 : 500);
    const active = allocate(round, policy, now).connectors.filter((c) => c.activity === 'active').length;
    results.push({ n, timing, active });
  }
  const rows = results.map((r, k) => {
    const prev = results[k - 1];
    const growth = prev ? r.timing.medianMs / prev.timing.medianMs : undefined;
    const nlogn = prev ? (r.n * Math.log2(r.n)) / (prev.n * Math.log2(prev.n)) : undefined;
    return [
      r.n.toLocaleString('en-US'),
      String(r.active),
      r.timing.medianMs.toFixed(3),
      r.timing.p99Ms.toFixed(3),
      r.timing.cpuMs.toFixed(3),
      growth === undefined ? '-' : `${growth.toFixed(1)}x`,
      nlogn === undefined ? '-' : `${nlogn.toFixed(1)}x`,
    ];
  });
  printTable(
    'allocate(): 3 phases, 3-level circuit tree, VIPs, priorities, closed loop, dynamic meter, imbalance limit',
    ['connectors', 'charging', 'median ms', 'p99 ms', 'cpu ms', 'growth', 'n log n growth'],
    rows,
  );
}
