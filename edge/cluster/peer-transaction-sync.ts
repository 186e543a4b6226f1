/**
 * A two-gateway node takes the other gateway's closed transactions and stray stops into its own store (docs/cluster.md,
 * "Merging the two gateways' records"): it asks the other node for what changed after its cursor, a bounded page at a
 * time, joins each record into its store, and moves its cursor on once the page is in. Both nodes do it, so after a
 * partition (or a failover) each ends with every transaction either took, each once. A transaction still open here
 * that the other node saw stop (the charger moved with it) is stopped through the control loop, like the charger's
 * own stop: the site runtime lets it go, the store closes it, and the cloud hears of it from this node alone, the one
 * that started it. So is one open here whose StartTransaction the charger sent again to the other node (its answer
 * lost): closed with no energy, since the charger reports its session under the id the other node gave it.
 */
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { PeerCursor, TransactionExchange, TransactionPage } from './transaction-merge';

/** The other node's side (peer-link.ts). */
export interface PeerTransactionSource {
  page(cursor: PeerCursor, limit: number): Promise<TransactionPage>;
}

export interface PeerSyncDeps {
  readonly source: PeerTransactionSource;
  readonly exchange: TransactionExchange;
  readonly control: ChargerInputSink;
  readonly now: () => number;
}

/** Records asked for at a time: a page stays well under a megabyte. */
export const PEER_PAGE_RECORDS = 200;
/** Pages taken in one round at most, so that one round never runs without end (the rest comes next round). */
const MAX_PAGES_PER_ROUND = 50;

export interface PeerSyncRound {
  /** Records that changed this store. */
  readonly stored: number;
  /** Open transactions stopped through the control loop. */
  readonly stopped: number;
  /** Ids under which the other node holds another transaction than this store (transaction-merge.ts, `Applied`). */
  readonly collisions: readonly number[];
  /** Stray stops this store dropped after the round (stray-stop-pruning.ts). */
  readonly pruned: number;
  readonly caughtUp: boolean;
}

/** One round: pages from the cursor on, until the other node has nothing newer or the round's pages are used up. */
export async function pullPeerTransactions(deps: PeerSyncDeps): Promise<PeerSyncRound> {
  const { source, exchange, control } = deps;
  let stored = 0;
  let stopped = 0;
  const collisions: number[] = [];
  for (let pages = 0; pages < MAX_PAGES_PER_ROUND; pages += 1) {
    const cursor = exchange.peerCursor();
    const page = await source.page(cursor, PEER_PAGE_RECORDS);
    for (const record of page.records) {
      const applied = exchange.apply(record);
      if (applied.kind === 'stored') stored += 1;
      if (applied.kind === 'idCollision') collisions.push(record.transactionId);
      for (const toStop of [applied, exchange.unlearntStart(record)]) {
        if (toStop?.kind !== 'stopOpen') continue;
        const { chargerId, stop, received } = toStop;
        control.onChargerInput({
          type: 'transactionStopped',
          at: deps.now(),
          chargerId,
          transactionId: stop.transactionId,
          meterStopWh: stop.meterStopWh,
          reason: stop.reason,
          stoppedAt: { at: stop.stoppedAt, ...received },
        });
        stopped += 1;
      }
    }
    exchange.savePeerCursor({ epoch: page.epoch, seq: page.next });
    if (!page.more)
      return { stored, stopped, collisions, pruned: exchange.pruneStrayStops(deps.now()), caughtUp: true };
  }
  return { stored, stopped, collisions, pruned: exchange.pruneStrayStops(deps.now()), caughtUp: false };
}
