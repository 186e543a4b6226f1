/**
 * The forward log's messages set aside (docs/csms.md): kept in table `upstream_log` under a state other than `queued`,
 * no longer holding up the rest of their charger's log. The dashboard counts and lists them, and purges one at a time
 * (never a queued one). The forward log (upstream-forward-log.ts) sets them aside; this reads and purges them.
 */
import type { StoreDatabase } from './store-database';

/** Why a message was set aside: refused by the CSMS again and again, or naming a transaction the CSMS closed. */
export type SetAsideReason = 'refused' | 'unmapped';

/** A message set aside, as the dashboard lists it. */
export interface SetAsideMessage {
  readonly seq: number;
  readonly chargerId: string;
  readonly action: string;
  readonly reason: SetAsideReason;
  readonly queuedAt: number;
  /** The payload as the charger sent it (JSON). */
  readonly payload: string;
}

interface SetAsideRow {
  seq: number;
  charger_id: string;
  action: string;
  state: string;
  queued_at: number;
  payload: string;
}

export class SqliteUpstreamSetAside {
  private readonly counts;
  private readonly list;
  private readonly one;
  private readonly purge;

  constructor(private readonly db: StoreDatabase) {
    this.counts = db.prepare<[string], { state: string; n: number }>(
      `SELECT state, count(*) AS n FROM upstream_log WHERE charger_id = ? AND state != 'queued' GROUP BY state`,
    );
    const columns = 'seq, charger_id, action, state, queued_at, payload';
    this.list = db.prepare<[number], SetAsideRow>(
      `SELECT ${columns} FROM upstream_log WHERE state != 'queued' ORDER BY seq LIMIT ?`,
    );
    this.one = db.prepare<[number], SetAsideRow>(
      `SELECT ${columns} FROM upstream_log WHERE seq = ? AND state != 'queued'`,
    );
    this.purge = db.prepare<[number]>(`DELETE FROM upstream_log WHERE seq = ? AND state != 'queued'`);
  }

  /** How many of the charger's messages are set aside, by why. */
  setAsideCount(chargerId: string): Record<SetAsideReason, number> {
    const counts = { refused: 0, unmapped: 0 };
    for (const row of this.counts.all(chargerId)) {
      if (row.state === 'refused' || row.state === 'unmapped') counts[row.state] = row.n;
    }
    return counts;
  }

  /** The messages set aside, oldest first, at most `limit`. */
  setAside(limit: number): SetAsideMessage[] {
    return this.list.all(limit).map(setAsideOf);
  }

  /** Deletes a message set aside (never a queued one) and returns it; undefined when there is none under `seq`. */
  purgeSetAsideMessage(seq: number): SetAsideMessage | undefined {
    return this.db.transaction(() => {
      const row = this.one.get(seq);
      if (row === undefined) return undefined;
      this.purge.run(seq);
      return setAsideOf(row);
    })();
  }
}

function setAsideOf(row: SetAsideRow): SetAsideMessage {
  return {
    seq: row.seq,
    chargerId: row.charger_id,
    action: row.action,
    reason: row.state === 'unmapped' ? 'unmapped' : 'refused',
    queuedAt: row.queued_at,
    payload: row.payload,
  };
}
