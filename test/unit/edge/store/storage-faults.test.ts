import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { storageFault } from '../../../../edge/store/storage-faults';

const sqliteError = (code: string) => Object.assign(new Error('driver text'), { code });

describe('storageFault', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-faults-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['SQLITE_FULL', 'the disk is full'],
    ['SQLITE_READONLY_DBMOVED', 'the folder is read-only or not writable'],
    ['SQLITE_CANTOPEN', 'it cannot be opened'],
    ['SQLITE_IOERR_WRITE', 'the disk failed a read or write'],
    ['ENOSPC', 'the disk is full'],
  ])('should name the file and what it needs for %s on a folder with room', (code, need) => {
    const file = path.join(dir, 'ampshare.sqlite');
    const fault = storageFault(sqliteError(code), file);
    expect(AppError.match(fault, 'storage.unavailable')).toBe(true);
    expect(fault?.message.startsWith(`cannot write ${file}: `)).toBe(true);
    expect(fault?.message).toContain(need);
    expect(fault?.message).toContain(`(${code})`);
    expect(fault?.message).not.toContain('driver text');
  });

  it('should leave other errors alone', () => {
    expect(storageFault(sqliteError('SQLITE_CONSTRAINT_UNIQUE'), dir)).toBeUndefined();
    expect(storageFault(new Error('no code'), dir)).toBeUndefined();
    expect(storageFault(new AppError('config.invalid', 'bad'), dir)).toBeUndefined();
  });
});
