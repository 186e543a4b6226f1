/** Runs the allocate command in-process and writes trial files for it, for the CLI's unit tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runAllocateCommand } from '../../../../edge/cli/allocate-trial';

export const REPO = join(import.meta.dirname, '../../../..');
export const example = (name: string) => join(REPO, 'docs/examples', name);

/** The command's exit code and what it printed on stdout and stderr. */
export async function inProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAllocateCommand(
    args,
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const folders: string[] = [];
// Registered on the importing test file: its trial folders go when its tests are done.
afterAll(() => Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true }))));

/** A new file in a temporary folder of its own, removed after the file's tests; objects are written as JSON. */
export async function tempFile(content: string | object, name = 'trial.json'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'ampshare-trial-'));
  folders.push(folder);
  const path = join(folder, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

export interface ConnectorRow {
  ref: string;
  amps: number;
  phaseAmps: [number, number, number];
  activity: string;
  reason: string;
  boundBy?: string;
}

/** The `--json` output. */
export interface CommandOutput {
  $schemaVersion: 1;
  warnings: Array<{ code: string; path: string; message: string }>;
  rounds: Array<{ at: string; allocation: { at: number; connectors: ConnectorRow[] } }>;
}

/** Runs the command with `--json` and returns its parsed output and the exit code. */
export async function runJson(args: string[]): Promise<CommandOutput & { code: number; err: string }> {
  const result = await inProcess([...args, '--json']);
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.err}`);
  return { ...(JSON.parse(result.out) as CommandOutput), code: result.code, err: result.err };
}

/** Each connector's limit and reason, as `ref: amps reason`, for compact expectations. */
export function limits(rows: readonly ConnectorRow[]): string[] {
  return rows.map((c) => `${c.ref}: ${c.amps} ${c.reason}`);
}
