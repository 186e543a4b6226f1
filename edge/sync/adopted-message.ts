/**
 * A message another node's outbox made, read before this outbox stores it as it is (a cluster master takes the old
 * master's from the ledger): it must be a site message of this site within the outbox's size, else the cloud would
 * refuse it (and the batch it travels in) for good.
 */
import type { FieldIssue } from '../../shared/errors';
import { SiteMessageSchema, type SiteMessage } from '../../shared/sync/sync-messages';
import { fieldIssues } from '../../shared/validation';

export type AdoptedMessage =
  | { readonly ok: true; readonly message: SiteMessage; readonly bytes: number }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** `text` read as a message of `siteId` of at most `maxBytes`, or what is wrong with it. */
export function readAdoptedMessage(text: string, siteId: string, maxBytes: number): AdoptedMessage {
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) return refused('message', `message of ${bytes} bytes exceeds ${maxBytes}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refused('message', 'not JSON');
  }
  const parsed = SiteMessageSchema.safeParse(json);
  if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
  if (parsed.data.siteId !== siteId)
    return refused('siteId', `a message of site "${parsed.data.siteId}", not of "${siteId}"`);
  return { ok: true, message: parsed.data, bytes };
}

function refused(path: string, message: string): AdoptedMessage {
  return { ok: false, issues: [{ path, message }] };
}
