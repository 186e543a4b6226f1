/**
 * A real small filesystem for a test's data folder: a tmpfs the test mounts (so it needs root, as CI runs) and fills up
 * to its last byte, to see what the agent does on a full disk.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const isRoot = process.getuid?.() === 0;

const run = promisify(execFile);

export interface SmallFilesystem {
  readonly mountPoint: string;
  /** Mounts it again with other options (`remount,ro`). */
  remount(options: string): Promise<unknown>;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `size` (as `mount -o size=`, e.g. `4m`) on a new temporary folder. */
export async function mountSmallFilesystem(size: string): Promise<SmallFilesystem> {
  const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'ampshare-small-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint]);
  return {
    mountPoint,
    remount: (options) => run('mount', ['-o', options, mountPoint]),
    async unmount() {
      await run('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    },
  };
}

/** Writes `file` until its filesystem has no byte left. */
export function fillFilesystem(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x55);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
