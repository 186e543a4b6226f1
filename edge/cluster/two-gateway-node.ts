/**
 * A node of a two-gateway site without a witness (`cluster.witness: false`, docs/cluster.md "The two-gateway rule").
 * Two etcd members have no quorum once either is lost, so such a site runs no etcd: keepalived alone puts the virtual
 * address on a gateway whose agent is alive (its flag file, kept fresh), each node serves every charger that reaches
 * it, and the two-gateway rule keeps the site safe whatever the gateways know of each other: a node exceeds the
 * fail-safe current only while it holds a strict majority of the site's chargers (majority-ceilings.ts). Transaction
 * ids come from each node's own range (`twoGatewayIdRange`, kept by the agent's SQLite counter), so the two never hand
 * out the same id.
 */
import type { TwoGatewayNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ConnectorCeilings, LeaseSender } from '../control/control-ports';
import type { TransactionIds } from '../ocpp/central-system-ports';
import type { TransactionIdRange } from '../store/transaction-id-blocks';
import type { ClusterConfig } from './cluster-config';
import type { ClusterNetworkReader } from './cluster-network';
import type { ConnectionLiveness } from '../ocpp/charger-connections';
import { countingBounds } from './charger-majority';
import { type CloudLink, CloudLinkFollower } from './cloud-link-follower';
import { LeaderFlagFile } from './leader-flag-file';
import { MajorityCeilings } from './majority-ceilings';
import { MajorityLeaseSender } from './majority-lease-sender';
import { majorityEventBody, type TakeoverSink } from './takeover-report';

/** Each node hands out ids from its own billion: the first node in the static order 1 to 10^9, the second above. */
export const NODE_ID_RANGE = 1_000_000_000;

/** The ids this node hands out: the agent's id counter keeps to it (edge/store/transaction-id-blocks.ts). */
export function twoGatewayIdRange(config: ClusterConfig): TransactionIdRange {
  const offset = config.staticOrder.indexOf(config.nodeId) * NODE_ID_RANGE;
  return { first: offset + 1, last: offset + NODE_ID_RANGE };
}

/** How often the node counts its chargers besides the allocation's rounds. */
const RECOUNT_MS = 1_000;
/** A majority counts as held across checks at most this far apart: the recount's, with a second's slack for a busy loop. */
const MAX_CHECK_GAP_MS = 2 * RECOUNT_MS;

export interface TwoGatewayDeps {
  /** This agent's own ids (its SQLite counter, kept to `twoGatewayIdRange`). */
  readonly localIds: TransactionIds;
  /** The chargers connected to this node now (those it finds unresponsive left out). */
  readonly connectedChargers: () => Iterable<ConnectionLiveness>;
  readonly siteChargerIds: () => readonly string[];
  readonly failSafeAmps: () => number;
  /** How long a lease lasts (`control.leaseSeconds`). */
  readonly leaseSeconds: number;
  /** How often the central system pings each charger (`ocpp.pingIntervalSeconds`). */
  readonly pingIntervalSeconds: number;
  readonly now: () => number;
  readonly log: { info(data: object, message: string): void; error(data: object, message: string): void };
}

export interface TwoGatewayNode {
  readonly transactionIds: TransactionIds;
  readonly ceilings: ConnectorCeilings;
  /** `sender` with each lease above the fail-safe asking the rule again right before it leaves (majority-lease-sender.ts). */
  majorityLeases(sender: LeaseSender): LeaseSender;
  /** Whether it may exceed the fail-safe now (as the last check found): it leads, its load is the site's. */
  leads(): boolean;
  /** Its majority as the last check found it, and the other gateway as far as it knows (the dashboard's Cluster page). */
  status(): Promise<TwoGatewayNodeStatus>;
  /**
   * Raises keepalived's flag: the agent is built and serves; `cloudLink` is open while the node may exceed the
   * fail-safe; each change of that goes to `outbox` as a `cluster.majority` event (none without a cloud link).
   */
  start(cloudLink: CloudLink | undefined, outbox?: TakeoverSink): void;
  /** Drops the flag, so the address goes to the other gateway. */
  stop(): Promise<void>;
}

/** The other gateway's reach may be this old on the Cluster page (the Network page's read, shared). */
const PEER_MAX_AGE_MS = 5_000;

export function createTwoGatewayNode(
  config: ClusterConfig,
  deps: TwoGatewayDeps,
  /** Where the other gateway's reach is read (the Network page's read); absent, it is not known (null). */
  network?: Pick<ClusterNetworkReader, 'read' | 'lastReachedAt'>,
): TwoGatewayNode {
  const peerId = config.staticOrder.find((id) => id !== config.nodeId) ?? '';
  const cloudLink = new CloudLinkFollower(deps.log);
  let outbox: TakeoverSink | undefined;
  const flag = config.leaderFlagFile === undefined ? undefined : new LeaderFlagFile(config.leaderFlagFile, () => true);
  const ceilings = new MajorityCeilings({
    nodeId: config.nodeId,
    staticOrder: config.staticOrder,
    connectedChargers: deps.connectedChargers,
    siteChargerIds: deps.siteChargerIds,
    failSafeAmps: deps.failSafeAmps,
    counting: countingBounds(deps.pingIntervalSeconds * 1000, MAX_CHECK_GAP_MS),
    // The other node held no majority at any check of the hold; what it sent above the fail-safe before must have run
    // out: a lease, once sent (a call may wait its turn up to the command timeout; the configuration refuses a lease
    // shorter than that and its time on the LAN, twoGatewayLeaseFloorMs).
    holdMs: 2 * deps.leaseSeconds * 1000,
    maxCheckGapMs: MAX_CHECK_GAP_MS,
    now: deps.now,
    log: deps.log,
    // Two nodes never both hold a majority: the one that may exceed the fail-safe holds the site's one cloud link.
    // The event first, so a node that stops leading queues it before its link closes (as a fence's, takeover-report.ts).
    onChange: (exceeding) => {
      outbox?.enqueue('events', majorityEventBody(config.nodeId, exceeding, ceilings.status()), deps.now());
      cloudLink.lead(exceeding);
    },
  });
  let recount: NodeJS.Timeout | undefined;
  return {
    transactionIds: deps.localIds,
    ceilings,
    majorityLeases: (sender) =>
      new MajorityLeaseSender(sender, { mayExceed: () => ceilings.mayExceed(), failSafeAmps: deps.failSafeAmps }),
    leads: () => ceilings.status().mayExceedFailSafe,
    async status() {
      const read = await network?.read(PEER_MAX_AGE_MS).catch(() => undefined);
      const reached = read?.peers.find((p) => p.id === peerId);
      const own = ceilings.status();
      return {
        mode: 'twoGateway',
        nodeId: config.nodeId,
        staticOrder: [...config.staticOrder],
        ...own,
        peer: {
          id: peerId,
          // Two nodes never both hold a majority; without one here, the other may or may not hold it.
          role: own.holdsMajority ? 'standby' : 'unknown',
          reachable: reached?.reachable ?? null,
          lastSeenAt: network?.lastReachedAt(peerId) ?? null,
        },
      };
    },
    start(link, sink) {
      outbox = sink;
      cloudLink.attach(link);
      flag?.elected({ term: 'two-gateway' });
      // The allocation asks at its rounds; this also sees a majority lost while there is nothing to allocate, so that
      // one regained later waits its lease again.
      recount = setInterval(() => ceilings.mayExceed(), RECOUNT_MS);
      recount.unref();
    },
    stop() {
      clearInterval(recount);
      flag?.fenced();
      cloudLink.lead(false);
      return Promise.resolve();
    },
  };
}
