/**
 * Drives leader-node-main.ts as a child process in its own process group, so that SIGKILL, SIGSTOP and SIGCONT reach
 * it whole; `kill` (also on a test's failure, from afterEach) leaves nothing running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConditionWaiters } from '../../../support/condition-waiters';
import type { NodeSettings } from './recorded-node';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const MAIN = path.join(import.meta.dirname, 'leader-node-main.ts');

const LINE = z.discriminatedUnion('event', [
  z.object({ event: z.literal('started') }),
  z.object({ event: z.literal('elected'), term: z.object({ term: z.string(), key: z.string() }) }),
  z.object({ event: z.literal('fenced'), term: z.string(), reason: z.string() }),
  z.object({
    event: z.literal('answer'),
    seq: z.number(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.string().optional(),
  }),
]);
type Line = z.infer<typeof LINE>;
type Answer = Extract<Line, { event: 'answer' }>;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
});

export class LeaderNodeProcess {
  readonly lines: Line[] = [];
  private readonly child: ChildProcess;
  private readonly waiters = new ConditionWaiters();
  private seq = 0;

  constructor(
    readonly nodeId: string,
    settings: NodeSettings,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', MAIN, JSON.stringify({ nodeId, ...settings })], {
      cwd: ROOT,
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    running.add(this.child);
    this.child.once('exit', () => running.delete(this.child));
    if (this.child.stdout === null) throw new Error('no stdout');
    createInterface({ input: this.child.stdout }).on('line', (text) => {
      this.lines.push(LINE.parse(JSON.parse(text)));
      this.waiters.changed();
    });
  }

  /** The terms this node was elected in, in order. */
  get terms(): { term: string; key: string }[] {
    return this.lines.flatMap((line) => (line.event === 'elected' ? [line.term] : []));
  }

  /** The fences it reported, in order. */
  get fences(): { term: string; reason: string }[] {
    return this.lines.flatMap((line) => (line.event === 'fenced' ? [line] : []));
  }

  /** Resolves once a line satisfying `check` has come. */
  until(what: string, check: (line: Line) => boolean, timeoutMs: number): Promise<void> {
    return this.waiters.until(
      `${this.nodeId}: ${what}`,
      () => this.lines.some(check),
      timeoutMs,
      () => JSON.stringify(this.lines),
    );
  }

  /** Sends a command and resolves with its answer. */
  async send(command: Record<string, unknown>, timeoutMs: number): Promise<Answer> {
    const seq = ++this.seq;
    this.child.stdin?.write(`${JSON.stringify({ ...command, seq })}\n`);
    const isAnswer = (line: Line): line is Answer => line.event === 'answer' && line.seq === seq;
    await this.until(`answer ${seq}`, isAnswer, timeoutMs);
    return this.lines.find(isAnswer) as Answer;
  }

  /** Sends `signal` to the node's whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      process.kill(-this.child.pid, signal);
    }
  }

  /** Kills the node with SIGKILL (which ends a stopped process too) and waits until it has exited. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.signal('SIGKILL');
    await exited;
  }
}
