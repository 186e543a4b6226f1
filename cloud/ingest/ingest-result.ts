/** What one ingest call did: counts, and every rejected message (or the whole batch) with the reason. */
import type { AppErrorCode, FieldIssue } from '../../shared/errors';
import type { SiteStream } from '../../shared/sync/sync-topics';

export interface IngestRejection {
  /** Position of the message in the batch; absent when the whole batch was refused. */
  readonly index?: number;
  readonly messageId?: string;
  /** `message.invalid` for bad input, `auth.forbidden` for a message the publisher may not send. */
  readonly code: AppErrorCode;
  readonly reason: string;
  readonly issues: readonly FieldIssue[];
}

export interface IngestResult {
  /** The site of the publishing gateway, when it could be attributed. */
  readonly siteId?: string;
  /** From the topic, when it was valid. */
  readonly stream?: SiteStream;
  /** The tenant the batch was attributed to, when it could be. */
  readonly tenantId?: string;
  /** Messages in the batch (0 when the payload could not be read). */
  readonly received: number;
  readonly stored: number;
  /** Messages already stored by an earlier delivery (or earlier in the same batch): not written again. */
  readonly duplicates: number;
  readonly rejected: readonly IngestRejection[];
}

/** A batch refused as a whole, before any message was looked at one by one. */
export function refusedBatch(
  rejection: Omit<IngestRejection, 'index' | 'messageId'>,
  context: { siteId?: string; stream?: SiteStream; tenantId?: string; received?: number } = {},
): IngestResult {
  return { ...context, received: context.received ?? 0, stored: 0, duplicates: 0, rejected: [rejection] };
}
