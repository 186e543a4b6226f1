/** Newest-first pages of a time-ordered item kind in a site partition (`<PREFIX><13-digit time>#<id>` sort keys). */
import type { TimeRangeQuery } from '../ports/session-repository';
import { decodeCursor, encodeCursor, lastSortKey } from './page-cursor';
import { padTime } from './keys';

export interface TimePageKeys {
  readonly range: { between: [string, string] };
  readonly options: { reverse: true; limit: number; exclusiveStartKey?: Record<string, unknown> };
}

/** The key range and options of one page of [from, to), continuing after the query's cursor. */
export function timePageKeys(partition: string, prefix: string, query: TimeRangeQuery): TimePageKeys {
  const range: TimePageKeys['range'] = {
    between: [`${prefix}${padTime(query.from)}`, `${prefix}${padTime(query.to)}`],
  };
  const options: TimePageKeys['options'] = { reverse: true, limit: query.limit };
  if (query.cursor !== undefined) options.exclusiveStartKey = { PK: partition, SK: decodeCursor(query.cursor, prefix) };
  return { range, options };
}

/** The cursor of the next page, if the query stopped early. */
export function nextCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  const sortKey = lastSortKey(lastEvaluatedKey);
  return sortKey === undefined ? undefined : encodeCursor(sortKey);
}
