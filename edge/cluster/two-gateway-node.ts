/**
 * A node of a two-gateway site without a witness (`cluster.witness: false`, docs/cluster.md "The two-gateway rule").
 * Two etcd members have no quorum once either is lost, so such a site runs no etcd: keepalived alone puts the virtual
 * address on a gateway whose agent is alive (its flag file, kept fresh), each node serves every charger that reaches
 * it, and the two-gateway rule keeps the site safe whatever the gateways know of each other: a node exceeds the
 * fail-safe current only while it holds a strict majority of the site's chargers (majority-ceilings.ts). Transaction
 * ids come from each node's own range, so the two never hand out the same id; nothing is replicated.
 */
import type { ConnectorCeilings } from '../control/control-ports';
import type { TransactionIds } from '../ocpp/central-system-ports';
import type { ClusterConfig } from './cluster-config';
import { LeaderFlagFile } from './leader-flag-file';
import { MajorityCeilings } from './majority-ceilings';

/** Each node hands out ids from its own billion: the first node in the static order 1 to 10^9, the second above. */
export const NODE_ID_RANGE = 1_000_000_000;
/** How often the node counts its chargers besides the allocation's rounds. */
const RECOUNT_MS = 1_000;

export interface TwoGatewayDeps {
  /** This agent's own ids (its SQLite counter). */
  readonly localIds: TransactionIds;
  readonly connectedChargerIds: () => Iterable<string>;
  readonly siteChargerIds: () => readonly string[];
  readonly failSafeAmps: () => number;
  /** How long a lease lasts (`control.leaseSeconds`). */
  readonly leaseSeconds: number;
  readonly now: () => number;
  readonly log: { info(data: object, message: string): void };
}

export interface TwoGatewayNode {
  readonly transactionIds: TransactionIds;
  readonly ceilings: ConnectorCeilings;
  /** Raises keepalived's flag: the agent is built and serves. */
  start(): void;
  /** Drops the flag, so the address goes to the other gateway. */
  stop(): Promise<void>;
}

export function createTwoGatewayNode(config: ClusterConfig, deps: TwoGatewayDeps): TwoGatewayNode {
  const offset = config.staticOrder.indexOf(config.nodeId) * NODE_ID_RANGE;
  const flag = config.leaderFlagFile === undefined ? undefined : new LeaderFlagFile(config.leaderFlagFile, () => true);
  const ceilings = new MajorityCeilings({
    nodeId: config.nodeId,
    staticOrder: config.staticOrder,
    connectedChargerIds: deps.connectedChargerIds,
    siteChargerIds: deps.siteChargerIds,
    failSafeAmps: deps.failSafeAmps,
    // The other node calls each of its chargers at least once a lease (a renewal); a charger that moved here left it a
    // socket that fails those calls, and it stops counting that charger once it is unresponsive (three failed calls);
    // its last lease there then runs out within one more lease.
    holdMs: 2 * deps.leaseSeconds * 1000,
    now: deps.now,
    log: deps.log,
  });
  let recount: NodeJS.Timeout | undefined;
  return {
    transactionIds: {
      async next(chargerId) {
        const local = await deps.localIds.next(chargerId);
        if (local >= NODE_ID_RANGE) throw new Error(`transaction id ${local} left this node's range`);
        return offset + local;
      },
    },
    ceilings,
    start() {
      flag?.elected({ term: 'two-gateway' });
      // The allocation asks at its rounds; this also sees a majority lost while there is nothing to allocate, so that
      // one regained later waits its lease again.
      recount = setInterval(() => ceilings.mayExceed(), RECOUNT_MS);
      recount.unref();
    },
    stop() {
      clearInterval(recount);
      flag?.fenced();
      return Promise.resolve();
    },
  };
}
