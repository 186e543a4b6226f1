/**
 * Transaction ids unique across the cluster and across takeovers. The ledger's counter is the highest id any leader
 * may have handed out; a leader reserves a block past it in etcd (a compare-and-set conditional on its term) before
 * handing out any id of that block, and drops what is left of its block when its term ends. A new leader therefore
 * starts past every block an old leader reserved, used or not, and never hands out an id twice; at worst the unused
 * rest of a block is skipped, as the single agent's SQLite blocks do across restarts (edge/store/transaction-id-blocks.ts).
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { TransactionIds } from '../ocpp/central-system-ports';
import type { LeaderLedger } from './leader-ledger';
import type { Leadership } from './leadership';

export const CLUSTER_ID_BLOCK_SIZE = 100;
const COUNTER_KEY = 'transaction-id-counter';

/** OCPP transaction ids are 32-bit integers; the counter is stored as its decimal digits. */
const COUNTER = z
  .string()
  .max(10)
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .max(2 ** 31 - 1),
  );

interface Block {
  readonly term: string;
  next: number;
  readonly last: number;
}

export class ClusterTransactionIds implements TransactionIds {
  private block: Block | undefined;
  private reserving: Promise<Block> | undefined;

  constructor(
    private readonly ledger: LeaderLedger,
    private readonly leadership: Leadership,
    /** The highest id this site used before it was a cluster (the local store's counter), so ids go on past it. */
    private readonly highestUsedBefore = 0,
  ) {}

  async next(): Promise<number> {
    let term = this.leadership.assertLeading().term;
    let block = this.block;
    if (block === undefined || block.term !== term || block.next > block.last) {
      block = await this.reserve(term);
      // Reserving took a round trip: the node must still lead (and in the same term) before it hands the id out.
      term = this.leadership.assertLeading().term;
      if (block.term !== term)
        throw new AppError('resource.conflict', 'the leadership term changed while reserving ids');
    }
    const id = block.next;
    block.next += 1;
    return id;
  }

  /** One reservation at a time: callers waiting for ids share it. */
  private reserve(term: string): Promise<Block> {
    this.reserving ??= this.reserveBlock(term).finally(() => {
      this.reserving = undefined;
    });
    return this.reserving;
  }

  private async reserveBlock(term: string): Promise<Block> {
    // A compare-and-set can lose only to a write made in this same term by a call still in flight; a few tries do.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = await this.ledger.get(COUNTER_KEY);
      const counter = current === undefined ? 0 : this.parse(current.value);
      const last = Math.max(counter, this.highestUsedBefore) + CLUSTER_ID_BLOCK_SIZE;
      if (await this.ledger.replace(COUNTER_KEY, String(last), current)) {
        const block = { term, next: last - CLUSTER_ID_BLOCK_SIZE + 1, last };
        this.block = block;
        return block;
      }
    }
    throw new AppError(
      'storage.unavailable',
      'no transaction id block could be reserved in the ledger; try again later',
    );
  }

  private parse(value: string): number {
    const parsed = COUNTER.safeParse(value);
    if (!parsed.success) throw new AppError('state.invalid', "the ledger's transaction id counter is not a 32-bit id");
    return parsed.data;
  }
}
