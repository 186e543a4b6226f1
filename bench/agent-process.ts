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

/**
 * Which agent a benchmark runs: `source` (default) the `start` script (TypeScript through tsx), `built` the `agent`
 * script (`npm run build`'s JavaScript with node alone). `BENCH_AGENT=built npm run bench -- edge-capacity`.
 */
export type AgentBuild = 'source' | 'built';

export function agentBuildFromEnv(): AgentBuild {
  return process.env.BENCH_AGENT === 'built' ? 'built' : 'source';
}

/** The node arguments of the `start` (or `agent`) script: `node <flags> <entry>` without the leading `node`. */
export function agentNodeArgs(build: AgentBuild = 'source'): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start?: string; agent?: string };
    }
  ).scripts;
  const start = build === 'built' ? scripts.agent : scripts.start;
  const [command, ...args] = (start ?? '').trim().split(/\s+/);
  if (command !== 'node' || args.length === 0)
    throw new Error(`package.json's "start" script should be "node <flags> <entry>", not "${start}"`);
  return args;
}

/** Starts the agent on `configFile` and resolves once it logs its OCPP URL. */
export function startAgentProcess(configFile: string, build: AgentBuild = agentBuildFromEnv()): Promise<AgentProcess> {
  const child = spawn(process.execPath, [...agentNodeArgs(build), '--config', configFile], {
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
