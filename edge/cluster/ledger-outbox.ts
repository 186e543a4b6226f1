/**
 * The outbox to the cloud in the cluster's ledger (`outbox/<message id>`, the message as the old master's outbox would
 * publish it). Message ids are `<outbox file's creation time>-<sequence>` (edge/sync/message-id.ts), so two nodes' ids
 * differ, and the cloud keeps a message under its time and id and drops one whose id it recorded already
 * (cloud/ingest/ingest-batch.ts): a message sent again with the same id and time is the same item. So a new master
 * takes every copy into its own outbox as it is, before it serves, and sends it before what it queues as master; the
 * old master, should it come back, sends its own once more at worst. The copies are written and deleted by
 * outbox-recorder.ts.
 */
import type { LeaderLedger } from './leader-ledger';
import type { TakeoverSink } from './takeover-report';

/** Most copies the ledger holds (about 400 bytes each: 4 MB for a new master to read, in pages of 1,000). */
export const MAX_LEDGER_OUTBOX_RECORDS = 10_000;
/** How long a message waits before its copy is written (with every other of that time, in one write). */
export const OUTBOX_FLUSH_MS = 500;
/** Values per etcd transaction: below etcd's request limit of 1.5 MiB. */
export const OUTBOX_BYTES_PER_WRITE = 1024 * 1024;

const FOLDER = 'outbox';

/** A message the outbox stored, as it will be published. */
export interface StoredOutboxMessage {
  readonly messageId: string;
  readonly stream: string;
  readonly message: string;
}

/** The agent's outbox as a cluster node copies it (edge/sync/outbox.ts). */
export interface ReplicatedOutbox extends TakeoverSink {
  onEnqueue(listener: (stream: string, stored: StoredOutboxMessage) => void): void;
  /** The ids of messages gone from the outbox: acknowledged by the cloud, or given up when over its limit. */
  onSettled(listener: (messageIds: readonly string[]) => void): void;
  /** Stores another node's message as it is (its id, time and text). */
  adopt(
    message: string,
  ): { readonly ok: true; readonly messageId: string } | { readonly ok: false; readonly issues: readonly unknown[] };
}

/** The ledger key of a message's copy. */
export function outboxKey(messageId: string): string {
  return `${FOLDER}/${messageId}`;
}

/** The session a sessions message is about (its start and id, as the cloud keys it), or undefined. */
export function sessionOf(message: string): string | undefined {
  try {
    const { stream, body } = JSON.parse(message) as {
      stream?: unknown;
      body?: { sessionId?: unknown; startedAt?: unknown };
    };
    if (stream !== 'sessions' || body === undefined) return undefined;
    return `${String(body.startedAt)}#${String(body.sessionId)}`;
  } catch {
    return undefined;
  }
}

export interface OutboxTakeover {
  /** Copies taken into this node's outbox. */
  readonly taken: number;
  /** Copies that were not a message of this site (deleted: the cloud would refuse them). */
  readonly refused: number;
  /** More copies than `MAX_LEDGER_OUTBOX_RECORDS`: the rest waits in the ledger for a later election. */
  readonly more: boolean;
}

/** What the takeover tells the recorder (outbox-recorder.ts). */
export interface OutboxCopies {
  begin(inLedger: readonly { readonly messageId: string; readonly value: string }[]): void;
  forget(messageId: string): void;
}

export interface OutboxTakeoverLog {
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

/**
 * Elected, before the node serves: every copy the ledger holds (the oldest `MAX_LEDGER_OUTBOX_RECORDS` by id) into
 * this node's outbox, then the recorder follows the outbox in this term.
 */
export async function takeOutboxFromLedger(
  ledger: Pick<LeaderLedger, 'first'>,
  outbox: ReplicatedOutbox,
  recorder: OutboxCopies,
  log: OutboxTakeoverLog,
): Promise<OutboxTakeover> {
  const { entries, more } = await ledger.first(FOLDER, MAX_LEDGER_OUTBOX_RECORDS);
  const copies = entries.map(({ key, value }) => ({ messageId: key.slice(FOLDER.length + 1), value }));
  recorder.begin(copies);
  let taken = 0;
  let refused = 0;
  for (const { messageId, value } of copies) {
    const result = outbox.adopt(value);
    if (result.ok && result.messageId === messageId) {
      taken += 1;
      continue;
    }
    refused += 1;
    log.error(
      { key: outboxKey(messageId), issues: result.ok ? ['another id'] : result.issues },
      'ledger copy not sent',
    );
    recorder.forget(messageId);
  }
  if (more) log.warn({ taken }, 'more outbox copies in the ledger than a master takes: the rest waits for a later one');
  return { taken, refused, more };
}
