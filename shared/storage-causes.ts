/**
 * Why the agent's store could not be written (the cause of a paused disk, `storagePaused` from
 * edge/control/storage-guard.ts), in English, keyed by a stable reason under `storageCause.` in
 * shared/server-messages.ts (German: browser/ui/i18n/messages/storage-causes-de.ts). The guard reports the failed
 * write's own words (SQLite's or the operating system's, always English); the dashboard's event line and the cloud
 * event say the cause by its reason instead, so a German page has no English left, and the words stay in the agent's
 * log and the cloud event's details.
 */
export const STORAGE_CAUSE_MESSAGES = {
  diskFull: 'the disk is full',
  readOnly: 'the disk or the database is read-only',
  permission: 'the agent may not write its data folder',
  ioError: 'the disk reported a read or write error',
  locked: 'another process holds the database locked',
  corrupt: 'the database file is damaged',
  other: 'a write failed for another reason (the agent log has the error)',
};

export type StorageCause = keyof typeof STORAGE_CAUSE_MESSAGES;

/**
 * The words each cause is written with: SQLite's result codes and messages (better-sqlite3 puts either in the error's
 * message) and the POSIX error codes Node's file writes start their message with. The first that matches wins.
 */
const CAUSE_WORDS: readonly (readonly [StorageCause, RegExp])[] = [
  ['diskFull', /SQLITE_FULL|database or disk is full|ENOSPC|no space left|EDQUOT|quota exceeded/i],
  ['readOnly', /SQLITE_READONLY|readonly database|EROFS|read-only file system/i],
  ['permission', /SQLITE_PERM|SQLITE_CANTOPEN|unable to open database|EACCES|EPERM|permission denied|not permitted/i],
  ['ioError', /SQLITE_IOERR|disk I\/O error|\bEIO\b|i\/o error/i],
  ['locked', /SQLITE_BUSY|SQLITE_LOCKED|database is locked|table is locked/i],
  ['corrupt', /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database/i],
];

/** The cause a failed write's message names; `other` when it names none of them. */
export function storageCauseOf(words: string): StorageCause {
  return CAUSE_WORDS.find(([, pattern]) => pattern.test(words))?.[0] ?? 'other';
}

/**
 * The cause of a failed write, as a parameter of the paused disk's event line (a MessageParamRef of
 * shared/server-messages.ts, which imports this catalogue, so the type is not named here).
 */
export const storageCauseParam = (words: string) => ({ ref: `storageCause.${storageCauseOf(words)}` as const });
