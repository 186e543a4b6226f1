/**
 * The forward log copied into the ledger on the master (docs/cluster.md, "In front of an operator's CSMS"): each group
 * commit's changes (upstream-log-changes.ts) become puts and deletes of `upstream-` keys, written in conditional etcd
 * transactions of at most `LEDGER_OPS_PER_WRITE` keys in this node's term, one after the other in the order of the
 * commits (a message's removal never overtakes its entry). The group's writes settle only once that is done, so the
 * charger is answered, and the drain's next message sent, only once the next master would find the change.
 *
 * A write etcd refuses fences the node (LeaderLedger). One that fails otherwise (a timeout) fails the group, and what
 * it carried is written with the next group's (every group asks, even one with no change: a charger that got a
 * CALLERROR sends its message again, adds nothing to the log, and waits for that write).
 */
import { AppError } from '../../shared/errors';
import type { UpstreamLogChange, UpstreamLogReplica } from '../store/upstream-log-changes';
import { LEDGER_OPS_PER_WRITE, type LedgerRecord } from './leader-ledger';
import type { LeaderTerm, LeadershipListener } from './leadership';
import {
  COUNTER_KEY,
  deliveredKey,
  idsKey,
  LEDGER_DELIVERED_PER_CHARGER,
  logKey,
  MAX_LEDGER_METER_VALUES_PER_CHARGER,
} from './ledger-upstream-keys';

/** One conditional etcd transaction in this node's term (LeaderLedger.putAll). */
export interface UpstreamLedgerWriter {
  putAll(entries: readonly LedgerRecord[], deletes: readonly string[]): Promise<void>;
}

/** What a new master found in the ledger, in this node's terms (upstream-takeover.ts). */
export interface UpstreamLedgerState {
  /** Each entry's local sequence number with its ledger key. */
  readonly entries: readonly {
    readonly seq: number;
    readonly key: string;
    readonly chargerId: string;
    readonly action: string;
  }[];
  /** Each charger's delivered records' keys, oldest first. */
  readonly delivered: ReadonlyMap<string, readonly string[]>;
  readonly lowestProvisionalId: number | undefined;
}

interface Entry {
  readonly key: string;
  readonly chargerId: string;
  readonly meterValues: boolean;
}

export class UpstreamLedgerReplica implements UpstreamLogReplica, LeadershipListener {
  /** The term the copy follows, from the ledger's read at the election to the fence. */
  private term: LeaderTerm | undefined;
  private readonly entries = new Map<number, Entry>();
  private readonly meterValues = new Map<string, number>();
  private readonly delivered = new Map<string, string[]>();
  private lowest: number | undefined;
  private n = 0;
  /** Puts (a value) and deletes (null) not written yet, in order; the last change of a key wins. */
  private pending = new Map<string, string | null>();
  /** The writes, one after the other. */
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly ledger: UpstreamLedgerWriter) {}

  /** Elected, after the ledger's read and before the node serves: the copy follows the log from now on. */
  begin(term: LeaderTerm, state: UpstreamLedgerState): void {
    this.reset();
    this.term = term;
    for (const { seq, key, chargerId, action } of state.entries) this.track(seq, key, chargerId, action);
    for (const [chargerId, keys] of state.delivered) this.delivered.set(chargerId, [...keys]);
    this.lowest = state.lowestProvisionalId;
  }

  elected(): void {
    // The copy starts with `begin`, at the ledger's read before the node serves.
  }

  fenced(): void {
    this.reset();
  }

  write(changes: readonly UpstreamLogChange[]): Promise<void> {
    const term = this.term;
    if (term === undefined)
      return Promise.reject(new AppError('resource.conflict', 'this node does not lead the cluster'));
    for (const change of changes) this.apply(term, change);
    const written = this.tail.then(() => this.flush(term));
    this.tail = written.catch(() => undefined);
    return written;
  }

  private apply(term: LeaderTerm, change: UpstreamLogChange): void {
    switch (change.kind) {
      case 'queued': {
        const meter = change.action === 'MeterValues';
        // Past the bound a reading is on this node's disk only; the start, the stop and the first readings are here.
        if (meter && (this.meterValues.get(change.chargerId) ?? 0) >= MAX_LEDGER_METER_VALUES_PER_CHARGER) return;
        const key = logKey(change.chargerId, term.term, change.seq);
        this.track(change.seq, key, change.chargerId, change.action);
        this.pending.set(
          key,
          JSON.stringify({ action: change.action, payload: change.payload, queuedAt: change.queuedAt }),
        );
        return;
      }
      case 'gone': {
        const entry = this.entries.get(change.seq);
        if (entry === undefined) return;
        this.entries.delete(change.seq);
        if (entry.meterValues) this.meterValues.set(entry.chargerId, (this.meterValues.get(entry.chargerId) ?? 1) - 1);
        this.pending.set(entry.key, null);
        return;
      }
      case 'mapping': {
        const { chargerId, provisionalId, startPayload, realId, chargerKnows } = change;
        this.pending.set(idsKey(chargerId, provisionalId), JSON.stringify({ startPayload, realId, chargerKnows }));
        if (this.lowest === undefined || provisionalId < this.lowest) {
          this.lowest = provisionalId;
          this.pending.set(COUNTER_KEY, String(provisionalId));
        }
        return;
      }
      case 'unmapped':
        this.pending.set(idsKey(change.chargerId, change.provisionalId), null);
        return;
      case 'remembered': {
        const key = deliveredKey(change.chargerId, change.digest);
        const kept = (this.delivered.get(change.chargerId) ?? []).filter((k) => k !== key);
        kept.push(key);
        while (kept.length > LEDGER_DELIVERED_PER_CHARGER) this.pending.set(kept.shift() as string, null);
        this.delivered.set(change.chargerId, kept);
        this.n += 1;
        this.pending.set(
          key,
          JSON.stringify({ action: change.action, answer: change.answer, term: term.term, n: this.n }),
        );
        return;
      }
    }
  }

  private track(seq: number, key: string, chargerId: string, action: string): void {
    const meterValues = action === 'MeterValues';
    this.entries.set(seq, { key, chargerId, meterValues });
    if (meterValues) this.meterValues.set(chargerId, (this.meterValues.get(chargerId) ?? 0) + 1);
  }

  /** Writes what waits, in bounded etcd transactions; on a failure, what was not written waits for the next one. */
  private async flush(term: LeaderTerm): Promise<void> {
    while (this.pending.size > 0) {
      if (this.term !== term) throw new AppError('resource.conflict', 'this node no longer leads in its term');
      const batch = [...this.pending].slice(0, LEDGER_OPS_PER_WRITE);
      for (const [key] of batch) this.pending.delete(key);
      try {
        await this.ledger.putAll(
          batch.flatMap(([key, value]) => (value === null ? [] : [{ key, value }])),
          batch.flatMap(([key, value]) => (value === null ? [key] : [])),
        );
      } catch (error) {
        // A key changed again meanwhile keeps its newer change.
        if (this.term === term) {
          const newer = this.pending;
          this.pending = new Map(batch);
          for (const [key, value] of newer) this.pending.set(key, value);
        }
        throw error;
      }
    }
  }

  private reset(): void {
    this.term = undefined;
    this.entries.clear();
    this.meterValues.clear();
    this.delivered.clear();
    this.lowest = undefined;
    this.pending = new Map();
  }
}
