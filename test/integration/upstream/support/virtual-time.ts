/**
 * Virtual time for the agent's upstream links (timeouts, back-off, cache ages, queue times): it moves on by a step
 * every few real milliseconds while a test waits for something, so hours pass in seconds and a retry happens when the
 * test lets time pass, not when the machine is slow.
 */
import type { Clock } from '../../../../edge/platform/clock';
import { ManualClock } from '../../../../sim/charger/sim-clock';

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

export class VirtualTime {
  private readonly manual: ManualClock;
  /** The clock to give the agent's upstream links (`upstreamClock`). */
  readonly clock: Clock;

  /** `stepMs`: virtual time that passes per pause of a few real milliseconds while something waits on it. */
  constructor(
    startAt: number,
    private readonly stepMs: number,
  ) {
    const manual = new ManualClock(startAt);
    this.manual = manual;
    this.clock = { now: () => manual.now(), after: (ms, fn) => manual.after(ms, fn) };
  }

  now(): number {
    return this.manual.now();
  }

  advance(ms: number): void {
    this.manual.advance(ms);
  }

  /** Waits for `work` while virtual time moves on (timeouts fire, links retry). */
  async during<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await Promise.race([settled, pause()]);
      if (!done) this.manual.advance(this.stepMs);
    }
    return work;
  }

  /** Lets virtual time run until `check` holds, at most `boundMs` of it. */
  async until(what: string, check: () => boolean, boundMs: number): Promise<void> {
    const deadline = this.manual.now() + boundMs;
    while (!check()) {
      if (this.manual.now() > deadline) throw new Error(`not within ${boundMs} ms of virtual time: ${what}`);
      await pause();
      this.manual.advance(this.stepMs);
    }
  }

  /** Lets `ms` of virtual time pass, step by step (each step gives the agent a few real milliseconds to act). */
  async pass(ms: number): Promise<void> {
    const end = this.manual.now() + ms;
    while (this.manual.now() < end) {
      await pause();
      this.manual.advance(Math.min(this.stepMs, end - this.manual.now()));
    }
  }
}
