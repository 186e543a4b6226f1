/**
 * A data folder the agent cannot write (a full disk, a read-only mount, a missing or foreign folder) as an AppError
 * that names the file and what it needs. SQLite's own code is not enough: a full disk stops it opening with
 * "disk I/O error" (it cannot grow its shared-memory file) and a read-only mount with "unable to open database file",
 * so the folder itself is looked at: its free space, and whether it may be written.
 */
import { accessSync, constants, statfsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/** Less free space than this is a full disk: SQLite needs room for its WAL and shared-memory files. */
const FULL_BELOW_BYTES = 1024 * 1024;

const NEEDS = {
  full: 'the disk is full: free space on its filesystem (the agent needs a few MB) or point dataDir at another one',
  readOnly:
    'the folder is read-only or not writable by the agent: remount it read-write, fix its owner, or point dataDir elsewhere',
  cannotOpen: 'it cannot be opened: the folder must exist, be writable by the agent and not be read-only',
  io: 'the disk failed a read or write (on a full disk SQLite cannot grow its shared-memory file and says "disk I/O error"): check free space (df) and the disk',
} as const;

/** The storage fault behind `error` for `file` (a file or the data folder), or undefined when `error` is something else. */
export function storageFault(error: unknown, file: string): AppError | undefined {
  if (error instanceof AppError) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const byCode = kindOf(code);
  if (byCode === undefined) return undefined;
  const need = placeState(file) ?? byCode;
  const message = `cannot write ${file}: ${NEEDS[need]} (${code})`;
  return new AppError('storage.unavailable', message, [{ path: 'dataDir', message }], { cause: error });
}

/** True when `error` is the storage refusing a write or read (full, read-only, unopenable, failing disk). */
export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && kindOf(code) !== undefined;
}

function kindOf(code: string): keyof typeof NEEDS | undefined {
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) return 'full';
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_READONLY'))
    return 'readOnly';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannotOpen';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return undefined;
}

/** What `place` (or its nearest existing parent) shows: no space left on its filesystem, or no writing allowed. */
function placeState(place: string): 'full' | 'readOnly' | undefined {
  let existing = place;
  for (;;) {
    try {
      const stats = statfsSync(existing);
      if (stats.bavail * stats.bsize < FULL_BELOW_BYTES) return 'full';
      accessSync(existing, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'readOnly';
      if (code !== 'ENOENT' || path.dirname(existing) === existing) return undefined;
      existing = path.dirname(existing);
    }
  }
}
