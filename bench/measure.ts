/** Timing helpers for benchmarks: warm up, then take the median and p99 of many runs. */

export interface Timing {
  readonly medianMs: number;
  readonly p99Ms: number;
  /** CPU time per run (user + system): what the run costs, even while other processes share the cores. */
  readonly cpuMs: number;
  readonly runs: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured, and reports median and p99 in milliseconds. */
export function time(fn: () => unknown, runs: number, warmup = Math.min(50, runs)): Timing {
  for (let k = 0; k < warmup; k++) fn();
  const samples = new Float64Array(runs);
  const cpu = process.cpuUsage();
  for (let k = 0; k < runs; k++) {
    const start = process.hrtime.bigint();
    fn();
    samples[k] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const used = process.cpuUsage(cpu);
  samples.sort();
  return {
    medianMs: samples[Math.floor(runs / 2)]!,
    p99Ms: samples[Math.min(runs - 1, Math.floor(runs * 0.99))]!,
    cpuMs: (used.user + used.system) / 1000 / runs,
    runs,
  };
}

/** The value below which a share `p` (0..1) of the samples lie (nearest rank; p 0.99 of 15 samples is the largest). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}
