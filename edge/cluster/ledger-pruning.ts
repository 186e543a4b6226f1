/**
 * Keeps the ledger's transactions bounded: without this, every start and stop stayed in etcd for good, and a site
 * reached the 20,000 keys a new master reads at most (then it refuses to guess and steps down) within weeks. The master
 * deletes, in conditional writes, what no later master needs:
 * - a transaction whose stop was recorded more than the retention ago (its start, its stop and its start request);
 *   a charger that sent the stop knew the transaction's id, so it will not send its StartTransaction again;
 * - a start answered with another status than Accepted (no session: nothing runs on it) once older than the retention;
 * - a start request whose transaction is gone.
 * Open transactions stay, whatever their age: a new master must adopt every one. Before the ledger forgets a closed
 * transaction, the master's SQLite is made sure to have it (its history; the cloud had it through the outbox). The price:
 * a standby elected later copies into its history only the closed transactions of the last retention (docs/cluster.md).
 */
import type { SessionRecord } from '../control/control-ports';
import { type LeaderLedger, LEDGER_OPS_PER_WRITE } from './leader-ledger';
import type { LeaderTerm, LeadershipListener } from './leadership';
import { type LedgerTransaction, type LedgerTransactions, transactionKeys } from './ledger-transactions';
import { type ClosedSessionSink, copyClosed } from './transaction-adoption';

/** How long a closed transaction stays in the ledger: far longer than the few seconds of a takeover. */
export const LEDGER_RETENTION_MS = 15 * 60_000;
/** How often the master prunes. */
export const PRUNE_EVERY_MS = 60_000;
/** Keys deleted per etcd transaction. */
export const PRUNED_KEYS_PER_WRITE = LEDGER_OPS_PER_WRITE;

/** The master's SQLite: its open sessions (never pruned) and its history (made sure to have what is pruned). */
export type PruningStore = { openSessions(): SessionRecord[] } & ClosedSessionSink;

export interface PruneCount {
  readonly transactions: number;
  readonly startRequests: number;
}

/** One pass at `now` (the wall clock the records' receipt times are on). */
export async function pruneLedger(
  source: LedgerTransactions,
  ledger: LeaderLedger,
  store: PruningStore,
  now: number,
  retentionMs = LEDGER_RETENTION_MS,
): Promise<PruneCount> {
  // The start requests first: each is written in one etcd transaction with its start, so every request read here has its
  // transaction in the read after it (read the other way round, a start made between the reads would lose its request).
  const requests = await source.startRequests();
  const transactions = await source.read();
  const open = new Set(store.openSessions().map((session) => session.transactionId));
  const cutoff = now - retentionMs;
  const done = new Map<number, LedgerTransaction>();
  for (const [id, transaction] of transactions)
    if (!open.has(id) && finished(transaction, cutoff)) done.set(id, transaction);
  copyClosed(done, store);

  const keysOf = new Map<number, string[]>();
  for (const [id, { start, stop }] of done) {
    const keys = transactionKeys(id);
    keysOf.set(id, [...(start ? [keys.start] : []), ...(stop ? [keys.stop] : [])]);
  }
  let startRequests = 0;
  for (const { key, transactionId } of requests) {
    const gone = !transactions.has(transactionId);
    if (!gone && !done.has(transactionId)) continue;
    keysOf.set(transactionId, [...(keysOf.get(transactionId) ?? []), key]);
    startRequests += 1;
  }
  // A transaction's keys go in one write (all or none), several transactions to a write.
  let batch: string[] = [];
  for (const keys of keysOf.values()) {
    if (batch.length > 0 && batch.length + keys.length > PRUNED_KEYS_PER_WRITE) {
      await ledger.putAll([], batch);
      batch = [];
    }
    batch.push(...keys);
  }
  if (batch.length > 0) await ledger.putAll([], batch);
  return { transactions: done.size, startRequests };
}

/** Stopped (or refused at its start) longer ago than the cutoff. */
function finished({ start, stop }: LedgerTransaction, cutoff: number): boolean {
  if (stop !== undefined) return stop.stoppedAt.receivedAt <= cutoff;
  return start !== undefined && start.status !== 'Accepted' && start.startedAt.receivedAt <= cutoff;
}

export interface PruningLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** Prunes every `PRUNE_EVERY_MS` while this node serves as master (a LeadershipListener of the master role). */
export class LedgerPruner implements LeadershipListener {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;

  constructor(
    private readonly pass: () => Promise<PruneCount>,
    private readonly serving: () => boolean,
    private readonly log: PruningLog,
  ) {}

  elected(_term: LeaderTerm): void {
    this.stop();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  fenced(): void {
    this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async prune(): Promise<void> {
    if (this.running || !this.serving()) return;
    this.running = true;
    try {
      const count = await this.pass();
      if (count.transactions + count.startRequests > 0) this.log.info(count, 'ledger pruned');
    } catch (error) {
      // A refused write has fenced the node already; anything else waits for the next pass.
      this.log.error({ err: error }, 'ledger not pruned');
    } finally {
      this.running = false;
    }
  }
}
