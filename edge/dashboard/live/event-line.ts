/** An event-list line said with a stable reason (shared/event-messages.ts): the English text, and the reason for the page. */
import type { EventEntry } from '../../../shared/dashboard/api-answers';
import { englishMessage, type MessageRef, type ServerReason } from '../../../shared/server-messages';

/** The line `said` at `at` from `source` (an id, or a word given as `sourceReason`). */
export function eventLine(
  at: number,
  severity: EventEntry['severity'],
  source: string | { readonly reason: ServerReason },
  said: MessageRef,
): EventEntry {
  const from =
    typeof source === 'string' ? { source } : { source: englishMessage(source), sourceReason: source.reason };
  return { at, severity, ...from, message: englishMessage(said), ...said };
}
