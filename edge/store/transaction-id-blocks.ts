/**
 * Transaction ids, unique across restarts, handed out from blocks reserved durably ahead: the stored counter is the
 * highest id that may have been handed out, so a restart starts past the whole block, used or not. The next block is
 * reserved while half of the current one is still in hand, so a disk that fills keeps ids for that many more starts;
 * once none is in hand and none can be reserved, `next` refuses (the charger is answered InternalError and retries
 * its StartTransaction later) rather than hand out an id a restart could hand out again. A two-gateway node hands out
 * ids from its own range (edge/cluster/two-gateway-node.ts): only the ids stored in that range move its counter, since
 * its store also holds the other node's, merged after a partition.
 */
import { AppError } from '../../shared/errors';
import type { TransactionIds } from '../ocpp/central-system-ports';
import type { StoreDatabase } from './store-database';

export const ID_BLOCK_SIZE = 100;

/** The ids this agent may hand out, both ends included. */
export interface TransactionIdRange {
  readonly first: number;
  readonly last: number;
}

/** OCPP transaction ids are 32-bit integers. */
export const WHOLE_ID_RANGE: TransactionIdRange = { first: 1, last: 2 ** 31 - 1 };

export class TransactionIdBlocks implements TransactionIds {
  private readonly reserve;
  private nextId: number;
  private reservedTo: number;

  /** Reserves the first block now: an agent that cannot store one does not start. */
  constructor(
    db: StoreDatabase,
    private readonly range: TransactionIdRange = WHOLE_ID_RANGE,
  ) {
    // The counter never goes below an id of the range already used, even if the meta row were lost, nor below the range.
    this.reserve = db.prepare<{ block: number; first: number; last: number }, { value: string }>(
      `INSERT INTO meta (key, value) VALUES ('transactionIdCounter',
         (SELECT coalesce(max(id), @first - 1) FROM transactions WHERE id BETWEEN @first AND @last) + @block)
       ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), @first - 1,
         (SELECT coalesce(max(id), 0) FROM transactions WHERE id BETWEEN @first AND @last)) + @block
       RETURNING value`,
    );
    this.reservedTo = this.reserveBlock();
    this.nextId = this.reservedTo - ID_BLOCK_SIZE + 1;
  }

  /** The highest id that may have been handed out (the stored counter); a cluster's ids go on past it. */
  get highestReserved(): number {
    return this.reservedTo;
  }

  next(): Promise<number> {
    if (this.reservedTo - this.nextId < ID_BLOCK_SIZE / 2) this.reserveAhead();
    if (this.nextId > this.range.last)
      return Promise.reject(new AppError('state.invalid', "every transaction id of this agent's range is used"));
    if (this.nextId > this.reservedTo) {
      return Promise.reject(
        new AppError(
          'storage.unavailable',
          'no transaction id can be stored: the data disk takes no writes; try again later',
        ),
      );
    }
    return Promise.resolve(this.nextId++);
  }

  /** One more block past the current one; a disk that takes no writes leaves the ids in hand as they are. */
  private reserveAhead(): void {
    let reservedTo: number;
    try {
      reservedTo = this.reserveBlock();
    } catch {
      return;
    }
    this.nextId = Math.max(this.nextId, reservedTo - ID_BLOCK_SIZE + 1);
    this.reservedTo = reservedTo;
  }

  private reserveBlock(): number {
    const { first, last } = this.range;
    return Number(this.reserve.get({ block: ID_BLOCK_SIZE, first, last })!.value);
  }
}
