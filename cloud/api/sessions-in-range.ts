/**
 * Every session of a site started in [from, to), for the CSV export: the repository's pages followed to the end, so the
 * file holds the whole range and not one page of it, up to a bound (ApiLimits.maxCsvSessions). A range holding more is
 * refused with a clear error rather than cut short: a file that silently misses sessions is worse than none.
 */
import { AppError } from '../../shared/errors';
import { reasonedIssue } from '../../shared/reasoned-issue';
import type { SessionRecord, SessionRepository } from '../ports/session-repository';

/** Sessions read per repository page: the most the JSON list hands out per request. */
const PAGE_SESSIONS = 200;

export async function sessionsInRange(
  sessions: SessionRepository,
  tenantId: string,
  siteId: string,
  range: { readonly from: number; readonly to: number },
  maxSessions: number,
): Promise<SessionRecord[]> {
  const found: SessionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await sessions.list(tenantId, siteId, {
      ...range,
      // One more than the bound is enough to tell that the range holds too many.
      limit: Math.min(PAGE_SESSIONS, maxSessions + 1 - found.length),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && found.length <= maxSessions);
  if (found.length > maxSessions)
    throw new AppError('message.invalid', `more than ${maxSessions} sessions in the range`, [
      reasonedIssue('query.from', { reason: 'export.tooManySessions', params: { maximum: maxSessions } }),
    ]);
  return found;
}
