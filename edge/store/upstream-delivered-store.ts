/**
 * The charger's transaction messages the CSMS acknowledged lately (MeterValues, StopTransaction, and a StartTransaction
 * once its stop was, with the id the charger knows), with its answer: a
 * charger that did not note our answer (its connection dropped, it rebooted, the agent restarted) sends such a message
 * again, unchanged, after it left the forward log; recognised here, it is answered as the CSMS answered it and never
 * sent again (docs/csms.md, "Retries and duplicates"). Written in the same transaction as the message's removal from
 * the log, so that no restart finds it in neither.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { StoreDatabase } from './store-database';
import { jsonOrUndefined } from './stored-json';
import type { UpstreamLogChanges } from './upstream-log-changes';

/**
 * How many acknowledged messages are kept per charger. A charger sends again only the messages whose answer it did not
 * note: the one in flight when its connection dropped, or the few it queued unanswered (one call in flight at a time).
 */
export const DELIVERED_KEPT_PER_CHARGER = 100;

const AnswerSchema = z.record(z.string(), z.unknown());
const StartedSchema = z.object({ transactionId: z.number().int() });

/** A message as stored: its digest, so that a kept message costs some 100 bytes whatever its size. */
const digestOf = (payload: object) => createHash('sha256').update(JSON.stringify(payload)).digest('base64');

export class SqliteUpstreamDeliveredMessages {
  private readonly insert;
  private readonly prune;
  private readonly answerOf;

  constructor(
    db: StoreDatabase,
    /** Where each message remembered is noted for a cluster master's ledger; none on a single agent. */
    private readonly changes?: UpstreamLogChanges,
  ) {
    this.insert = db.prepare<[string, string, string, string]>(
      'INSERT OR REPLACE INTO upstream_delivered (charger_id, action, digest, answer) VALUES (?, ?, ?, ?)',
    );
    this.prune = db.prepare<[string, string, number]>(
      `DELETE FROM upstream_delivered WHERE charger_id = ? AND seq <= (
         SELECT seq FROM upstream_delivered WHERE charger_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
    );
    this.answerOf = db.prepare<[string, string, string], { answer: string }>(
      'SELECT answer FROM upstream_delivered WHERE charger_id = ? AND action = ? AND digest = ?',
    );
  }

  /** The CSMS acknowledged `payload` (as the charger sent it) with `answer`; only the latest few are kept. */
  remember(chargerId: string, action: string, payload: object, answer: object): void {
    const digest = digestOf(payload);
    const answerText = JSON.stringify(answer);
    this.insert.run(chargerId, action, digest, answerText);
    this.changes?.note({ kind: 'remembered', chargerId, action, digest, answer: answerText });
    this.prune.run(chargerId, chargerId, DELIVERED_KEPT_PER_CHARGER);
  }

  /** The transaction id the charger was given for this very StartTransaction, when its stop was acknowledged lately. */
  startedId(chargerId: string, payload: object): number | undefined {
    return StartedSchema.safeParse(this.answer(chargerId, 'StartTransaction', payload)).data?.transactionId;
  }

  /** The CSMS's answer when it acknowledged this very message of the charger lately; undefined otherwise. */
  answer(chargerId: string, action: string, payload: object): Record<string, unknown> | undefined {
    const row = this.answerOf.get(chargerId, action, digestOf(payload));
    return row === undefined ? undefined : AnswerSchema.safeParse(jsonOrUndefined(row.answer)).data;
  }
}
