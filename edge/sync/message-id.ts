/** Outbox message ids: unique per site and sortable as strings, across restarts and a recreated outbox file. */

const EPOCH_DIGITS = 9;
const SEQ_DIGITS = 13;

/**
 * `<epoch>-<seq>`: the outbox file's creation time (base 36, fixed width) and the row's sequence number (decimal,
 * fixed width). The sequence never repeats within one file (SQLite AUTOINCREMENT); a new file gets a later epoch.
 */
export function formatMessageId(epochMs: number, seq: number): string {
  return `${epochMs.toString(36).padStart(EPOCH_DIGITS, '0')}-${seq.toString().padStart(SEQ_DIGITS, '0')}`;
}

/** The sequence number inside an id made by `formatMessageId`, or undefined. */
export function messageIdSeq(messageId: string): number | undefined {
  const match = /^[0-9a-z]{9}-([0-9]{13})$/.exec(messageId);
  return match ? Number(match[1]) : undefined;
}
