/** CPU time and resident memory of another process, read from /proc (Linux), sampled while a benchmark runs. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** User + system CPU time since the process started. */
  readonly cpuSeconds: number;
  readonly rssMb: number;
}

/** CPU seconds (user + system) and resident memory of a process now. */
export function processUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds: ticks / TICKS_PER_SECOND, rssMb: rssKb / 1024 };
}

/** Samples a process every `everyMs` between `start()` and `stop()`: CPU over the span, and the highest RSS seen. */
export class UsageWindow {
  private first: ProcessUsage | undefined;
  private startedAt = 0;
  private peakRssMb = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.first = processUsage(this.pid);
    this.startedAt = performance.now();
    this.peakRssMb = this.first.rssMb;
    this.timer = setInterval(
      () => (this.peakRssMb = Math.max(this.peakRssMb, processUsage(this.pid).rssMb)),
      this.everyMs,
    );
  }

  /** CPU as a percentage of one core over the window, and the peak RSS in MB. */
  stop(): { cpuPercent: number; peakRssMb: number } {
    clearInterval(this.timer);
    const last = processUsage(this.pid);
    const seconds = (performance.now() - this.startedAt) / 1000;
    this.peakRssMb = Math.max(this.peakRssMb, last.rssMb);
    return { cpuPercent: ((last.cpuSeconds - this.first!.cpuSeconds) / seconds) * 100, peakRssMb: this.peakRssMb };
  }
}
