/**
 * Opaque page cursors: the sort key of the last item, base64url-encoded. The partition is never taken from
 * the cursor (it is rebuilt from the caller's tenant and site), so a forged cursor cannot reach another tenant.
 */
import { AppError } from '../../shared/errors';

export function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key a cursor names; `message.invalid` unless it decodes to a key starting with `prefix`. */
export function decodeCursor(cursor: string, prefix: string): string {
  const sortKey = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!sortKey.startsWith(prefix) || sortKey.length <= prefix.length) {
    throw new AppError('message.invalid', 'invalid cursor', [
      { path: 'cursor', message: 'not a cursor returned by this list' },
    ]);
  }
  return sortKey;
}

/** The sort key of a LastEvaluatedKey, when the query stopped early. */
export function lastSortKey(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  const sortKey = lastEvaluatedKey?.SK;
  return typeof sortKey === 'string' ? sortKey : undefined;
}
