/**
 * The master's outbox copied into the ledger (`outbox/<message id>`), so that a new master sends what the old one had
 * queued for the cloud with the old message's id and time (the cloud takes it for the same message, ledger-outbox.ts).
 *
 * The copy follows the local enqueue, batched: the outbox's enqueue is synchronous and the control loop never waits on
 * the network, so a message is first stored in the node's SQLite (durable there), then written to etcd with every
 * other message of the last `OUTBOX_FLUSH_MS`, in conditional writes of at most `LEDGER_OPS_PER_WRITE` keys. A message
 * the cloud acknowledged (or the outbox gave up when over its limit) before its write is never written; one
 * acknowledged after it is deleted in a later write. A session's progress replaces the copy of its previous message
 * (the cloud keeps one row per session that only moves forward), so the ledger holds about one record per running
 * session however long the cloud is away, besides the telemetry and events. At most `MAX_LEDGER_OUTBOX_RECORDS` are
 * kept: beyond it a message stays in this node's outbox only (logged). A refused write fences the node as any ledger
 * write does; a failed one is tried again at the next flush while the node leads.
 */
import { LEDGER_OPS_PER_WRITE, type LedgerRecord, MAX_LEDGER_VALUE_BYTES } from './leader-ledger';
import type { LeadershipListener } from './leadership';
import {
  MAX_LEDGER_OUTBOX_RECORDS,
  type OutboxCopies,
  OUTBOX_BYTES_PER_WRITE,
  OUTBOX_FLUSH_MS,
  outboxKey,
  type ReplicatedOutbox,
  sessionOf,
  type StoredOutboxMessage,
} from './ledger-outbox';

/** One conditional etcd transaction in this node's term (LeaderLedger.putAll). */
export interface OutboxLedgerWriter {
  putAll(entries: readonly LedgerRecord[], deletes: readonly string[]): Promise<void>;
}

export interface OutboxRecorderLog {
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

interface Copy {
  state: 'pending' | 'writing' | 'written';
  readonly value: string;
  readonly bytes: number;
  readonly session: string | undefined;
  /** Settled (or replaced) while its write was on its way: deleted once written. */
  gone: boolean;
}

export class OutboxRecorder implements LeadershipListener, OutboxCopies {
  /** Leading, from the ledger's read at the election to the fence. */
  private active = false;
  /** Bumped at each election and fence: a write answered after either changes nothing. */
  private generation = 0;
  /** Every copy in the ledger or on its way there, by message id (the count against the limit). */
  private readonly copies = new Map<string, Copy>();
  /** Copies not written yet, oldest first. */
  private readonly pending = new Set<string>();
  /** Written copies to delete. */
  private readonly deletes = new Set<string>();
  /** A session's latest copy, by session. */
  private readonly latest = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing = false;
  private full = false;

  constructor(
    private readonly ledger: OutboxLedgerWriter,
    private readonly log: OutboxRecorderLog,
    private readonly limit = MAX_LEDGER_OUTBOX_RECORDS,
  ) {}

  /** Follows `outbox`: what it stores while this node leads is copied, what it settles is deleted. */
  attach(outbox: ReplicatedOutbox): void {
    outbox.onEnqueue((_stream, stored) => this.stored(stored));
    outbox.onSettled((messageIds) => {
      for (const messageId of messageIds) this.drop(messageId);
    });
  }

  /**
   * Elected, before the node serves: the copies the ledger holds (the outbox takes them next, so they are not copied
   * again). From now on the outbox is copied.
   */
  begin(inLedger: readonly { readonly messageId: string; readonly value: string }[]): void {
    this.reset();
    this.active = true;
    for (const { messageId, value } of inLedger) {
      const session = sessionOf(value);
      this.copies.set(messageId, { state: 'written', value, bytes: 0, session, gone: false });
      if (session !== undefined) this.latest.set(session, messageId);
    }
  }

  /** Deletes a copy the ledger holds (one the outbox could not take, or settled). */
  forget(messageId: string): void {
    this.drop(messageId);
  }

  elected(): void {
    // The copying starts with `begin`, at the ledger's read before the node serves.
  }

  fenced(): void {
    this.reset();
  }

  /** Copies held, waiting, being written and to delete (tests, the benchmark). */
  status(): { readonly copies: number; readonly pending: number; readonly writing: number; readonly deletes: number } {
    let writing = 0;
    for (const copy of this.copies.values()) if (copy.state === 'writing') writing += 1;
    return { copies: this.copies.size, pending: this.pending.size, writing, deletes: this.deletes.size };
  }

  private reset(): void {
    this.active = false;
    this.generation += 1;
    this.copies.clear();
    this.pending.clear();
    this.deletes.clear();
    this.latest.clear();
    this.full = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private stored(stored: StoredOutboxMessage): void {
    if (!this.active || this.copies.has(stored.messageId)) return;
    const bytes = Buffer.byteLength(stored.message);
    if (bytes > MAX_LEDGER_VALUE_BYTES) {
      this.log.warn({ messageId: stored.messageId, bytes }, 'outbox message too large for the ledger: not copied');
      return;
    }
    const session = stored.stream === 'sessions' ? sessionOf(stored.message) : undefined;
    const replaced = session === undefined ? undefined : this.latest.get(session);
    // A copy that replaces another adds none: its delete goes before it (deletes lead each write).
    if (replaced === undefined && this.copies.size >= this.limit) {
      if (!this.full)
        this.log.warn({ limit: this.limit }, 'ledger holds its most outbox copies: newer messages not copied');
      this.full = true;
      return;
    }
    if (replaced !== undefined) this.drop(replaced);
    this.copies.set(stored.messageId, { state: 'pending', value: stored.message, bytes, session, gone: false });
    this.pending.add(stored.messageId);
    if (session !== undefined) this.latest.set(session, stored.messageId);
    this.schedule();
  }

  private drop(messageId: string): void {
    const copy = this.copies.get(messageId);
    if (copy === undefined) return;
    if (copy.session !== undefined && this.latest.get(copy.session) === messageId) this.latest.delete(copy.session);
    if (copy.state === 'pending') {
      this.copies.delete(messageId);
      this.pending.delete(messageId);
      this.full = false;
    } else if (copy.state === 'writing') {
      copy.gone = true;
    } else {
      this.deletes.add(messageId);
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.active || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, OUTBOX_FLUSH_MS);
    this.timer.unref?.();
  }

  /** Writes what waits, one conditional write after the other; the running flush takes what comes meanwhile. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    const generation = this.generation;
    try {
      while (this.active && generation === this.generation) {
        const batch = this.nextBatch();
        if (batch.puts.length + batch.deletes.length === 0) return;
        if (!(await this.write(batch, generation))) return;
      }
    } finally {
      this.flushing = false;
      // A flush of an earlier term kept this term's from running: this term's copies wait for the next one.
      if (this.pending.size + this.deletes.size > 0) this.schedule();
    }
  }

  /** Deletes first (they free room), then the oldest copies, within one etcd transaction's bounds. */
  private nextBatch(): { puts: string[]; deletes: string[] } {
    const deletes = [...this.deletes].slice(0, LEDGER_OPS_PER_WRITE);
    const puts: string[] = [];
    let bytes = 0;
    for (const messageId of this.pending) {
      const copy = this.copies.get(messageId)!;
      if (deletes.length + puts.length >= LEDGER_OPS_PER_WRITE) break;
      if (puts.length > 0 && bytes + copy.bytes > OUTBOX_BYTES_PER_WRITE) break;
      puts.push(messageId);
      bytes += copy.bytes;
    }
    return { puts, deletes };
  }

  /** One write; false when the flush must stop (failed, or the term changed meanwhile). */
  private async write(batch: { puts: string[]; deletes: string[] }, generation: number): Promise<boolean> {
    const copies = batch.puts.map((messageId) => [messageId, this.copies.get(messageId)!] as const);
    for (const [messageId, copy] of copies) {
      copy.state = 'writing';
      this.pending.delete(messageId);
    }
    for (const messageId of batch.deletes) this.deletes.delete(messageId);
    try {
      await this.ledger.putAll(
        copies.map(([messageId, copy]) => ({ key: outboxKey(messageId), value: copy.value })),
        batch.deletes.map(outboxKey),
      );
    } catch (error) {
      if (generation !== this.generation) return false;
      // Not written: all of it waits for the next flush (a refusal fenced the node, which cleared everything).
      for (const [messageId, copy] of copies) {
        copy.state = 'pending';
        if (copy.gone) this.copies.delete(messageId);
        else this.pending.add(messageId);
      }
      for (const messageId of batch.deletes) this.deletes.add(messageId);
      this.log.error({ err: error }, 'outbox not copied to the ledger: trying again');
      this.schedule();
      return false;
    }
    if (generation !== this.generation) return false;
    for (const [messageId, copy] of copies) {
      copy.state = 'written';
      if (copy.gone) this.deletes.add(messageId);
    }
    for (const messageId of batch.deletes) this.copies.delete(messageId);
    if (batch.deletes.length > 0) this.full = false;
    return true;
  }
}
