/** Reads an MQTT payload as a site batch: size bound, UTF-8 JSON, the batch envelope, then each message on its own. */
import { z } from 'zod';
import {
  MAX_BATCH_MESSAGES,
  MAX_MESSAGE_BYTES,
  SiteMessageSchema,
  type SiteMessage,
} from '../../shared/sync/sync-messages';
import type { FieldIssue } from '../../shared/errors';
import { fieldIssues, formatPath } from '../../shared/validation';

/** The raw payload (bytes or text), or JSON an IoT rule has already parsed. */
export type BatchPayload = Uint8Array | string | object;

/** The batch envelope with its messages still unread, so that one bad message does not cost its neighbours. */
const BatchEnvelopeSchema = z
  .object({ v: z.literal(1), messages: z.array(z.unknown()).min(1).max(MAX_BATCH_MESSAGES) })
  .strict();

export type ReadBatch = { ok: true; messages: ReadMessage[] } | { ok: false; reason: string; issues: FieldIssue[] };

export type ReadMessage =
  | { ok: true; index: number; message: SiteMessage }
  | { ok: false; index: number; messageId?: string; issues: FieldIssue[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(
  payload: BatchPayload,
): { ok: true; bytes: number; json: unknown } | { ok: false; reason: string; issues: FieldIssue[] } {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    return { ok: true, bytes: new TextEncoder().encode(JSON.stringify(payload)).byteLength, json: payload };
  }
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload).byteLength : payload.byteLength;
  if (bytes > MAX_MESSAGE_BYTES)
    return {
      ok: false,
      reason: `payload of ${bytes} bytes is larger than ${MAX_MESSAGE_BYTES}`,
      issues: [{ path: '(root)', message: 'too large' }],
    };
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : utf8.decode(payload);
  } catch {
    return { ok: false, reason: 'payload is not UTF-8', issues: [{ path: '(root)', message: 'not UTF-8' }] };
  }
  try {
    return { ok: true, bytes, json: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      reason: 'payload is not JSON',
      issues: [{ path: '(root)', message: (error as Error).message }],
    };
  }
}

const messageIdOf = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null || !('messageId' in value)) return undefined;
  const id = value.messageId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
};

export function readSiteBatch(payload: BatchPayload): ReadBatch {
  const decoded = decode(payload);
  if (!decoded.ok) return decoded;
  if (decoded.bytes > MAX_MESSAGE_BYTES) {
    return {
      ok: false,
      reason: `payload of ${decoded.bytes} bytes is larger than ${MAX_MESSAGE_BYTES}`,
      issues: [{ path: '(root)', message: 'too large' }],
    };
  }
  const envelope = BatchEnvelopeSchema.safeParse(decoded.json);
  if (!envelope.success) {
    const issues = fieldIssues(envelope.error);
    return {
      ok: false,
      reason: `not a site batch: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    };
  }
  const messages = envelope.data.messages.map((raw, index): ReadMessage => {
    const parsed = SiteMessageSchema.safeParse(raw);
    if (parsed.success) return { ok: true, index, message: parsed.data };
    const messageId = messageIdOf(raw);
    const issues = parsed.error.issues.map((issue) => ({
      path: formatPath(['messages', index, ...issue.path]),
      message: issue.message,
    }));
    return { ok: false, index, ...(messageId !== undefined ? { messageId } : {}), issues };
  });
  return { ok: true, messages };
}
