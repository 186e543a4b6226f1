/**
 * A new cluster master takes the forward log from the ledger (docs/cluster.md, "In front of an operator's CSMS"): the
 * ledger holds what every master was answered about, so it replaces this node's queued messages and provisional-id
 * mappings (a node elected again has its own earlier copies among them, or messages another master delivered since),
 * in one SQLite transaction: each charger's messages in the ledger's order, the mappings, the messages the CSMS
 * acknowledged lately, and the provisional counter moved below every id a master handed out. Messages set aside stay
 * (they are this node's record, not the ledger's).
 */
import type { StoreDatabase } from './store-database';
import type { AdoptedUpstreamLog, OwnUpstreamLog } from './upstream-log-changes';

export class SqliteUpstreamLogAdoption {
  private readonly clearQueued;
  private readonly clearMappings;
  private readonly insertEntry;
  private readonly insertMapping;
  private readonly insertDelivered;
  private readonly lowerCounter;
  private readonly queuedEntries;
  private readonly allMappings;
  private readonly lastDelivered;
  private readonly counter;

  constructor(private readonly db: StoreDatabase) {
    this.clearQueued = db.prepare(`DELETE FROM upstream_log WHERE state = 'queued'`);
    this.clearMappings = db.prepare('DELETE FROM upstream_transactions');
    this.insertEntry = db.prepare<[string, string, string, number]>(
      'INSERT INTO upstream_log (charger_id, action, payload, queued_at) VALUES (?, ?, ?, ?)',
    );
    this.insertMapping = db.prepare<[number, string, number, string, number | null, string | null]>(
      `INSERT INTO upstream_transactions (provisional_id, charger_id, start_seq, start_payload, real_id, charger_knows)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.insertDelivered = db.prepare<[string, string, string, string]>(
      'INSERT OR REPLACE INTO upstream_delivered (charger_id, action, digest, answer) VALUES (?, ?, ?, ?)',
    );
    this.lowerCounter = db.prepare<[{ low: number }]>(
      `INSERT INTO meta (key, value) VALUES ('upstreamProvisionalId', @low)
       ON CONFLICT (key) DO UPDATE SET value = min(CAST(value AS INTEGER), @low)`,
    );
    this.queuedEntries = db.prepare<
      [],
      { seq: number; charger_id: string; action: string; payload: string; queued_at: number }
    >(`SELECT seq, charger_id, action, payload, queued_at FROM upstream_log WHERE state = 'queued' ORDER BY seq`);
    this.allMappings = db.prepare<
      [],
      {
        provisional_id: number;
        charger_id: string;
        start_payload: string;
        real_id: number | null;
        charger_knows: string | null;
      }
    >(
      'SELECT provisional_id, charger_id, start_payload, real_id, charger_knows FROM upstream_transactions ORDER BY provisional_id DESC',
    );
    this.lastDelivered = db.prepare<[number], { charger_id: string; action: string; digest: string; answer: string }>(
      `SELECT charger_id, action, digest, answer FROM (
         SELECT *, row_number() OVER (PARTITION BY charger_id ORDER BY seq DESC) AS newer FROM upstream_delivered)
       WHERE newer <= ? ORDER BY seq`,
    );
    this.counter = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'upstreamProvisionalId'`);
  }

  /**
   * This node's own queued log, for a first election that finds none of the site's in the ledger: the queued messages
   * in the order they came, the mappings, each charger's latest `deliveredPerCharger` records and the counter.
   */
  own(deliveredPerCharger: number): OwnUpstreamLog {
    const counter = this.counter.get();
    return {
      entries: this.queuedEntries.all().map((e) => ({
        seq: e.seq,
        chargerId: e.charger_id,
        action: e.action,
        payload: e.payload,
        queuedAt: e.queued_at,
      })),
      mappings: this.allMappings.all().map((m) => ({
        chargerId: m.charger_id,
        provisionalId: m.provisional_id,
        startPayload: m.start_payload,
        realId: m.real_id ?? undefined,
        chargerKnows: m.charger_knows === 'real' || m.charger_knows === 'provisional' ? m.charger_knows : undefined,
      })),
      delivered: this.lastDelivered.all(deliveredPerCharger).map((d) => ({
        chargerId: d.charger_id,
        action: d.action,
        digest: d.digest,
        answer: d.answer,
      })),
      lowestProvisionalId: counter === undefined ? undefined : Number(counter.value),
    };
  }

  /** Replaces the queued log and the mappings with `adopted`; returns each entry's sequence number here, in order. */
  adopt(adopted: AdoptedUpstreamLog): number[] {
    return this.db.transaction(() => {
      this.clearQueued.run();
      this.clearMappings.run();
      const starts = new Map<string, number>();
      const seqs = adopted.entries.map(({ chargerId, action, payload, queuedAt }) => {
        const seq = Number(this.insertEntry.run(chargerId, action, payload, queuedAt).lastInsertRowid);
        if (action === 'StartTransaction') starts.set(`${chargerId} ${payload}`, seq);
        return seq;
      });
      for (const m of adopted.mappings) {
        // A start delivered already is not queued: its sequence number is never asked for again (0).
        const startSeq = starts.get(`${m.chargerId} ${m.startPayload}`) ?? 0;
        this.insertMapping.run(
          m.provisionalId,
          m.chargerId,
          startSeq,
          m.startPayload,
          m.realId ?? null,
          m.chargerKnows ?? null,
        );
      }
      for (const d of adopted.delivered) this.insertDelivered.run(d.chargerId, d.action, d.digest, d.answer);
      if (adopted.lowestProvisionalId !== undefined) this.lowerCounter.run({ low: adopted.lowestProvisionalId });
      return seqs;
    })();
  }
}
