/**
 * Each demo run keeps its data in a folder of its own, `<configured>-<pid>`: two demos on one machine used to share the
 * configured folder, and the second deleted the first one's database at its start. A run clears only the folders of
 * runs that are no longer alive (a demo stopped with Ctrl-C removes its own), never a live one's.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface DemoDataDir {
  readonly dir: string;
  /** Removes this run's folder. */
  remove(): void;
}

/** Makes this run's folder beside `configured`, after removing those of demo runs that have ended. */
export function claimDemoDataDir(configured: string, pid: number = process.pid): DemoDataDir {
  const parent = path.dirname(configured);
  const prefix = `${path.basename(configured)}-`;
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const owner = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : Number.NaN;
    if (Number.isInteger(owner) && owner > 0 && owner !== pid && !isAlive(owner))
      rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const dir = `${configured}-${pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
