/**
 * What a build read, kept beside what it wrote, so that `--if-stale` can tell quickly whether to build again: a
 * record file lists the sources (repository-relative) and carries the time the build started as its modification time.
 */
import { readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const SourcesSchema = z.object({ sources: z.array(z.string()) });

async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Writes `contents` under a temporary name first, so that a reader never sees half a file. */
export async function writeAtomically(path: string, contents: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

export interface BuildRecordCheck {
  readonly root: string;
  /** The record file. */
  readonly record: string;
  /** Absolute paths the build writes: one missing makes it stale. */
  readonly outputs: readonly string[];
  /** Repository-relative files that change every output besides the recorded sources (the build script, the lockfile). */
  readonly alwaysInputs: readonly string[];
}

/** Stale: no record, an output missing, or a recorded source (or an always-input) newer than the build or gone. */
export async function isStaleBuild(check: BuildRecordCheck): Promise<boolean> {
  const builtAt = await modifiedAt(check.record);
  if (builtAt === undefined) return true;
  const parsed = SourcesSchema.safeParse(JSON.parse(await readFile(check.record, 'utf8').catch(() => 'null')));
  if (!parsed.success) return true;
  if ((await Promise.all(check.outputs.map(modifiedAt))).some((at) => at === undefined)) return true;
  const sources = [...parsed.data.sources, ...check.alwaysInputs].map((file) => join(check.root, file));
  return (await Promise.all(sources.map(modifiedAt))).some((at) => at === undefined || at > builtAt);
}

/** Records the sources a build read (node_modules left out: the lockfile stands for them), dated when it started. */
export async function writeBuildRecord(record: string, inputs: readonly string[], startedAt: Date): Promise<void> {
  const sources = inputs.filter((input) => !input.includes('node_modules/'));
  await writeAtomically(record, `${JSON.stringify({ sources }, null, 1)}\n`);
  await utimes(record, startedAt, startedAt);
}
