/**
 * The edge agent as its own process, started with the command of `npm start -- --config <file>` (package.json), V8
 * flags included, so that a benchmark measures the agent as a site runs it. npm itself is left out: it would be the
 * measured process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface AgentProcess {
  readonly pid: number;
  /** The OCPP endpoint, `ws://host:port/ocpp`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** The node arguments of the `start` script: `node <flags> <entry>` without the leading `node`. */
export function agentNodeArgs(): string[] {
  const { start } = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start?: string } }
  ).scripts;
  const [command, ...args] = (start ?? '').trim().split(/\s+/);
  if (command !== 'node' || args.length === 0)
    throw new Error(`package.json's "start" script should be "node <flags> <entry>", not "${start}"`);
  return args;
}

/** Starts the agent on `configFile` and resolves once it logs its OCPP URL. */
export function startAgentProcess(configFile: string): Promise<AgentProcess> {
  const child = spawn(process.execPath, [...agentNodeArgs(), '--config', configFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let head = '';
    const onOutput = (chunk: Buffer) => {
      head += chunk.toString();
      const match = /"url":"(ws:\/\/[^"]+)"/.exec(head);
      if (!match) return;
      // The agent keeps logging; its output is drained, not kept.
      child.stdout.off('data', onOutput);
      child.stdout.resume();
      resolve({ pid: child.pid!, url: match[1]!, stop });
    };
    child.stdout.on('data', onOutput);
    child.once('exit', (code) => reject(new Error(`agent exited with ${code} before listening`)));
  });
}
