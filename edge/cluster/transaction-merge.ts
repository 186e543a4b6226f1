/**
 * One transaction as the two gateways of a site without a witness exchange it after a partition (docs/cluster.md,
 * "Merging the two gateways' records"): its start as the node that answered the StartTransaction stored it, and its
 * stop as whichever node the charger sent its StopTransaction to (the other one when the charger moved). `joinRecords`
 * puts two nodes' views of one transaction together; it is commutative, associative and idempotent, so the two nodes
 * end with the same record whatever order the exchanges take and however often they repeat.
 */
import { z } from 'zod';
import type { SessionStop, TimeReceipt } from '../control/control-ports';

/** Where a stored time came from (edge/control/charger-time.ts); null for a row stored before it was kept. */
const TimeSourceSchema = z.enum(['charger', 'receivedClockAhead', 'receivedClockBehind']).nullable();

export const StartPartSchema = z
  .object({
    chargerId: z.string().min(1).max(64),
    connectorId: z.number().int().min(0).max(1_000),
    idTag: z.string().max(64).optional(),
    /** The charger's start time (checked), epoch ms. */
    startedAt: z.number().int(),
    meterStartWh: z.number().finite(),
    receivedAt: z.number().int(),
    source: TimeSourceSchema,
  })
  .strict();

export const StopPartSchema = z
  .object({
    stoppedAt: z.number().int(),
    meterStopWh: z.number().finite(),
    reason: z.string().max(64),
    receivedAt: z.number().int(),
    source: TimeSourceSchema,
  })
  .strict();

export const TransactionRecordSchema = z
  .object({
    transactionId: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
    start: StartPartSchema.optional(),
    stop: StopPartSchema.optional(),
    /**
     * An open transaction's energy so far, as its owner metered it: shown on the other node's dashboard, never joined
     * (the stop's meter reading makes the energy, so a split transaction's energy is counted once).
     */
    meteredWh: z.number().finite().optional(),
  })
  .strict();

export type StartPart = z.output<typeof StartPartSchema>;
export type StopPart = z.output<typeof StopPartSchema>;
export type TransactionRecord = z.output<typeof TransactionRecordSchema>;

/**
 * The earlier received of two parts, the same on both nodes: each part holds all it says, so a total order over the
 * parts themselves decides a tie (one message sent twice, to both nodes, at one instant).
 */
function earlier<T extends { readonly receivedAt: number }>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? a : b;
  return canonical(a) <= canonical(b) ? a : b;
}

/** A part's text with its keys in a fixed order, so that equal parts compare equal whichever node built them. */
function canonical(part: object): string {
  return JSON.stringify(Object.entries(part).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Two views of one transaction together: a part either view has is kept; of two starts or two stops (a charger that
 * sent one again to the other node, its answer lost), the one received first, as the first stop wins on one node.
 */
export function joinRecords(a: TransactionRecord, b: TransactionRecord): TransactionRecord {
  if (a.transactionId !== b.transactionId)
    throw new Error(`cannot join transaction ${a.transactionId} with ${b.transactionId}`);
  const start = earlier(a.start, b.start);
  const stop = earlier(a.stop, b.stop);
  return { transactionId: a.transactionId, ...(start && { start }), ...(stop && { stop }) };
}

/** Whether two records say the same. */
export function sameRecord(a: TransactionRecord | undefined, b: TransactionRecord | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.transactionId === b.transactionId &&
    (a.start && canonical(a.start)) === (b.start && canonical(b.start)) &&
    (a.stop && canonical(a.stop)) === (b.stop && canonical(b.stop))
  );
}

/** A transaction open here that the caller stops through the control loop, as the charger's own stop would. */
export interface StopOpen {
  readonly kind: 'stopOpen';
  readonly chargerId: string;
  readonly stop: SessionStop;
  readonly received: TimeReceipt;
}

/**
 * What became of a record from the other node; `idCollision`: a record of another transaction under an id this store
 * holds (a store replaced by an older copy hands out its lost ids again), left alone on both sides.
 */
export type Applied = { readonly kind: 'unchanged' | 'stored' | 'idCollision' } | StopOpen;

/**
 * Whether two starts under one id are two transactions: each id is handed out by one node, from its own range, so
 * two views of one transaction carry copies of the same start; two that differ came from a store that lost the first
 * and handed its id out again.
 */
export function differentStarts(a: StartPart | undefined, b: StartPart | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return (
    a.chargerId !== b.chargerId ||
    a.connectorId !== b.connectorId ||
    a.startedAt !== b.startedAt ||
    a.meterStartWh !== b.meterStartWh
  );
}

/**
 * The stop reason of a transaction whose StartTransaction the charger sent again to the other gateway, its answer
 * lost: the charger never learnt this id, so it is closed with no energy (the id it learnt holds the session).
 */
export const DUPLICATE_START_REASON = 'DuplicateStart';

/**
 * Whether two starts are one StartTransaction sent to both gateways: the same charger, connector, id tag, meter start
 * and the charger's own timestamp (taken as sent on both nodes; a time replaced by the time of receipt, the charger's
 * clock being off, says nothing of the message, and is never matched), the twin of the etcd ledger's start-requests.
 */
export function sameStartRequest(a: StartPart, b: StartPart): boolean {
  return (
    a.source === 'charger' &&
    b.source === 'charger' &&
    a.chargerId === b.chargerId &&
    a.connectorId === b.connectorId &&
    a.idTag === b.idTag &&
    a.meterStartWh === b.meterStartWh &&
    a.startedAt === b.startedAt
  );
}

/**
 * Of two ids given for one StartTransaction, the one the charger never learnt: the one received first (the charger
 * sent its message again because that answer never came); a tie goes to the lower id, the same on both nodes.
 */
export function unlearntOf(a: TransactionRecord & { start: StartPart }, b: TransactionRecord & { start: StartPart }) {
  if (a.start.receivedAt !== b.start.receivedAt) return a.start.receivedAt < b.start.receivedAt ? a : b;
  return a.transactionId < b.transactionId ? a : b;
}

export const TransactionPageSchema = z
  .object({
    records: z.array(TransactionRecordSchema).max(1_000),
    /** The cursor to ask from next time, in `epoch`. */
    next: z.number().int().min(0),
    /** The answering store's epoch (edge/store/store-epochs.ts): a cursor is good only in the store's own history. */
    epoch: z.string().max(64),
    more: z.boolean(),
  })
  .strict();
export type TransactionPage = z.output<typeof TransactionPageSchema>;

/** How far a node has taken the other's changes: a sequence within one of the other store's epochs. */
export interface PeerCursor {
  readonly epoch: string;
  readonly seq: number;
}

/** A node's transactions as the exchange sees them (edge/store/transaction-exchange-store.ts). */
export interface TransactionExchange {
  /**
   * At most `limit` transactions (open ones too) and stray stops changed after `cursor`, oldest change first; from the start
   * when `cursor` is not in this store's history (the store was replaced by an older copy).
   */
  page(cursor: PeerCursor, limit: number): TransactionPage;
  /** Joins the other node's view of one transaction into this node's. */
  apply(remote: TransactionRecord): Applied;
  /**
   * The transaction open here that `remote` duplicates: the same StartTransaction, sent again to the other node after
   * its answer from this one was lost (`sameStartRequest`, `unlearntOf`); closed with no energy, the reason
   * DUPLICATE_START_REASON.
   */
  unlearntStart(remote: TransactionRecord): StopOpen | undefined;
  /** Drops the stray stops the other node has taken that no start matched within a retention; how many. */
  pruneStrayStops(now: number): number;
  peerCursor(): PeerCursor;
  savePeerCursor(cursor: PeerCursor): void;
}
