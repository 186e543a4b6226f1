/**
 * Issue 16: a paused disk's cause is said by a stable reason (storageCause.*), not in the failed write's English words,
 * so a German page says it in German. The words are SQLite's (through better-sqlite3) and the operating system's
 * (Node's file writes), as each reports them.
 */
import { describe, expect, it } from 'vitest';
import { storageCauseOf, storageCauseParam, type StorageCause } from '../../../shared/storage-causes';

describe('storage causes', () => {
  it.each<[string, StorageCause]>([
    ['database or disk is full', 'diskFull'],
    ['SQLITE_FULL', 'diskFull'],
    ['ENOSPC: no space left on device, write', 'diskFull'],
    ['EDQUOT: disk quota exceeded, write', 'diskFull'],
    ['attempt to write a readonly database', 'readOnly'],
    ["EROFS: read-only file system, open '/var/lib/ampshare/outbox.log'", 'readOnly'],
    ["EACCES: permission denied, open '/var/lib/ampshare/agent.db'", 'permission'],
    ['unable to open database file', 'permission'],
    ['disk I/O error', 'ioError'],
    ['EIO: i/o error, write', 'ioError'],
    ['database is locked', 'locked'],
    ['database disk image is malformed', 'corrupt'],
    ['file is not a database', 'corrupt'],
    ['unknown', 'other'],
    ['outbox closed', 'other'],
  ])('should say "%s" as %s', (words, cause) => {
    expect(storageCauseOf(words)).toBe(cause);
  });

  it('should give the cause as a message of the event line', () => {
    expect(storageCauseParam('database or disk is full')).toEqual({ ref: 'storageCause.diskFull' });
  });
});
