/**
 * What changed in the forward log (docs/cluster.md, "In front of an operator's CSMS"): on a cluster master the group
 * commit (upstream-group-commit.ts) hands each group's changes to a replica (the etcd ledger) and settles the group's
 * writes only once the replica has them, so a charger is answered, and the next message of the drain sent, only once
 * the next master would find the change. The forward log and the record of delivered messages note each change here
 * as they make it, inside the group's SQLite transaction; a write rolled back takes its changes with it.
 */

/** One change, in the terms of the local database (`seq` is the local log's sequence number). */
export type UpstreamLogChange =
  /** A message entered the log. */
  | {
      readonly kind: 'queued';
      readonly chargerId: string;
      readonly seq: number;
      readonly action: string;
      /** The payload as the charger sent it (JSON). */
      readonly payload: string;
      readonly queuedAt: number;
    }
  /** A message left the log: delivered, set aside, or thinned by the backlog's bound. */
  | { readonly kind: 'gone'; readonly seq: number }
  /** A provisional id's mapping as it is now (its start, the CSMS's id once given, which id the charger knows). */
  | ({ readonly kind: 'mapping' } & UpstreamMapping)
  /** A provisional id's mapping dropped (its stop was delivered). */
  | { readonly kind: 'unmapped'; readonly chargerId: string; readonly provisionalId: number }
  /** A message the CSMS acknowledged, remembered with its answer (JSON) under its digest. */
  | ({ readonly kind: 'remembered' } & UpstreamDelivered);

export interface UpstreamMapping {
  readonly chargerId: string;
  readonly provisionalId: number;
  /** The StartTransaction as the charger sent it (JSON): its repeat is known by it. */
  readonly startPayload: string;
  readonly realId: number | undefined;
  readonly chargerKnows: 'real' | 'provisional' | undefined;
}

export interface UpstreamDelivered {
  readonly chargerId: string;
  readonly action: string;
  /** The SHA-256 of the payload as the charger sent it, base64. */
  readonly digest: string;
  readonly answer: string;
}

/** Where a group's changes are copied before its writes settle; it throws (and the writes fail) when it cannot. */
export interface UpstreamLogReplica {
  write(changes: readonly UpstreamLogChange[]): Promise<void>;
}

/** The changes noted since the last `take`, with marks to drop those of a write rolled back. */
export class UpstreamLogChanges {
  private changes: UpstreamLogChange[] = [];

  note(change: UpstreamLogChange): void {
    this.changes.push(change);
  }

  mark(): number {
    return this.changes.length;
  }

  /** Drops the changes noted since `mark` (their write was rolled back). */
  rollback(mark: number): void {
    this.changes.length = Math.min(mark, this.changes.length);
  }

  take(): UpstreamLogChange[] {
    const taken = this.changes;
    this.changes = [];
    return taken;
  }
}

/** What a new master takes from the ledger into its database, in the ledger's order. */
export interface AdoptedUpstreamLog {
  /** Each charger's queued messages, in the order the charger sent them. */
  readonly entries: readonly {
    readonly chargerId: string;
    readonly action: string;
    readonly payload: string;
    readonly queuedAt: number;
  }[];
  readonly mappings: readonly UpstreamMapping[];
  /** Oldest first per charger. */
  readonly delivered: readonly UpstreamDelivered[];
  /** The lowest provisional id any master may have handed out; undefined when none did. */
  readonly lowestProvisionalId: number | undefined;
}

/** A node's own queued log as its SQLite holds it, copied into a ledger that holds none of the site's. */
export interface OwnUpstreamLog extends AdoptedUpstreamLog {
  /** Each charger's queued messages with their local sequence numbers, in the order they came. */
  readonly entries: readonly (AdoptedUpstreamLog['entries'][number] & { readonly seq: number })[];
}
