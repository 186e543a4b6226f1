/** CPU time and resident memory of another process, read from /proc (Linux), sampled while a benchmark runs. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** User + system CPU time since the process started. */
  readonly cpuSeconds: number;
  readonly rssMb: number;
  /** The private part of the RSS (heap, stacks, native allocations): what this process alone costs. */
  readonly rssAnonMb: number;
  /** The file-backed part (the node binary, its libraries, native addons), shared with every process that maps them. */
  readonly rssFileMb: number;
}

/** The figures of a process at its highest RSS in a window. */
export interface UsageSummary {
  /** CPU as a percentage of one core over the window. */
  readonly cpuPercent: number;
  readonly peakRssMb: number;
  /** `RssAnon` and `RssFile` at the sample with the highest RSS. */
  readonly peakRssAnonMb: number;
  readonly peakRssFileMb: number;
}

/** CPU seconds (user + system) and resident memory of a process now. */
export function processUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return {
    cpuSeconds: ticks / TICKS_PER_SECOND,
    rssMb: mb('VmRSS'),
    rssAnonMb: mb('RssAnon'),
    rssFileMb: mb('RssFile'),
  };
}

/** Samples a process every `everyMs` between `start()` and `stop()`: CPU over the span, and the highest RSS seen. */
export class UsageWindow {
  private first: ProcessUsage | undefined;
  private startedAt = 0;
  private peak: ProcessUsage | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.first = processUsage(this.pid);
    this.startedAt = performance.now();
    this.peak = this.first;
    this.timer = setInterval(() => this.sample(processUsage(this.pid)), this.everyMs);
  }

  stop(): UsageSummary {
    clearInterval(this.timer);
    const last = processUsage(this.pid);
    const seconds = (performance.now() - this.startedAt) / 1000;
    this.sample(last);
    const peak = this.peak!;
    return {
      cpuPercent: ((last.cpuSeconds - this.first!.cpuSeconds) / seconds) * 100,
      peakRssMb: peak.rssMb,
      peakRssAnonMb: peak.rssAnonMb,
      peakRssFileMb: peak.rssFileMb,
    };
  }

  private sample(usage: ProcessUsage): void {
    if (usage.rssMb > this.peak!.rssMb) this.peak = usage;
  }
}
