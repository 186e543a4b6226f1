/**
 * The agent as one node of its site's cluster (docs/cluster.md), built from the configuration's `cluster` section: the
 * etcd client, the leadership, the ledger, cluster-wide transaction ids, and the master role that gates the OCPP
 * server; or, on a two-gateway site without a witness, a node without etcd (two-gateway-node.ts). The agent builds
 * its parts with `master`, `transactionIds` and `ceilings`, then calls `start` with them; from then on the node
 * campaigns, and serves chargers only while it is the master (a two-gateway node serves any charger that reaches it).
 */
import type { ClusterNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ConnectorCeilings, SessionRecord } from '../control/control-ports';
import type { MasterGate, TransactionIds, TransactionLedger } from '../ocpp/central-system-ports';
import type { ChargerConnections } from '../ocpp/charger-connections';
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { ClusterConfig } from './cluster-config';
import { ClusterTransactionIds } from './cluster-transaction-ids';
import { createEtcdClient } from './etcd-client';
import { EtcdNodeStatusReader } from './etcd-node-status';
import { hostAddresses } from './host-addresses';
import { LeaderFlagFile } from './leader-flag-file';
import { LeaderLedger } from './leader-ledger';
import { Leadership } from './leadership';
import { LedgerTransactions } from './ledger-transactions';
import { MasterRole, type MasterRoleLog } from './master-role';
import { monotonicClock } from './monotonic-clock';
import { NodePresence } from './node-presence';
import { StaticCandidacy } from './static-candidacy';
import { adoptTransactions, type ClosedSessionSink } from './transaction-adoption';
import { createTwoGatewayNode, type TwoGatewayDeps } from './two-gateway-node';

/** The agent's parts the master role acts on. */
export interface ClusterAgentParts {
  readonly connections: ChargerConnections;
  readonly sessions: { openSessions(): SessionRecord[] } & ClosedSessionSink;
  readonly control: ChargerInputSink;
}

export interface ClusterNode {
  /** The master role the OCPP server takes chargers through; none on a two-gateway node, which serves any charger. */
  readonly master: { readonly gate: MasterGate; readonly ledger: TransactionLedger } | undefined;
  readonly transactionIds: TransactionIds;
  /** On a two-gateway node, the two-gateway rule as the allocation's ceilings (majority-ceilings.ts). */
  readonly ceilings: ConnectorCeilings | undefined;
  /** This node's place in the cluster now (the dashboard's Cluster page); read only, bounded by the etcd call timeout. */
  status(): Promise<ClusterNodeStatus>;
  /** Starts campaigning; the agent's parts must be built. */
  start(parts: ClusterAgentParts): void;
  /** Stops leading (another node takes over at once) and closes the etcd client. */
  stop(): Promise<void>;
}

export interface ClusterNodeDeps extends TwoGatewayDeps {
  readonly siteId: string;
  /** The highest transaction id this agent may have handed out alone (its SQLite counter). */
  readonly highestUsedBefore: number;
  readonly log: MasterRoleLog;
}

/** Close code 1012 (service restart): the charger reconnects, and reaches the next master. */
const FENCED_CLOSE_CODE = 1012;

export function createClusterNode(config: ClusterConfig, deps: ClusterNodeDeps): ClusterNode {
  // Without a witness the configuration has no etcd (cluster-config.ts).
  if (config.etcdEndpoints === undefined) {
    const node = createTwoGatewayNode(config, deps);
    return { master: undefined, ...node, status: () => Promise.resolve(node.status()), start: () => node.start() };
  }
  const client = createEtcdClient(config.etcdEndpoints, config.etcdCallTimeoutMs);
  const presence = new NodePresence(
    client,
    `ampshare/${deps.siteId}/presence/`,
    config.nodeId,
    config.leaseTtlSeconds,
    monotonicClock,
    hostAddresses(),
  );
  let parts: ClusterAgentParts | undefined;
  let stopped = false;
  const electionName = `ampshare/${deps.siteId}/leader`;
  const leadership: Leadership = new Leadership({
    client,
    electionName,
    nodeId: config.nodeId,
    ttlSeconds: config.leaseTtlSeconds,
    fenceMarginMs: config.fenceMarginMs,
    clock: monotonicClock,
    listener: { elected: (term) => role.elected(term), fenced: (event) => role.fenced(event) },
    ...(config.election === 'static' && {
      candidacy: new StaticCandidacy(presence, config.staticOrder, config.nodeId),
    }),
  });
  const ledger = new LeaderLedger(client, leadership, `ampshare/${deps.siteId}/ledger/`);
  const transactions = new LedgerTransactions(ledger);
  const role: MasterRole = new MasterRole(
    leadership,
    {
      prepare: async () => {
        if (parts === undefined) throw new Error('elected before the agent was built');
        const count = adoptTransactions(
          await transactions.read(),
          parts.sessions.openSessions(),
          { control: parts.control, history: parts.sessions },
          deps.now(),
        );
        deps.log.info(count, 'transactions adopted from the ledger');
      },
      dropChargers: (reason) => {
        for (const connection of parts?.connections.all() ?? [])
          connection.client.close({ code: FENCED_CLOSE_CODE, reason }).catch(() => undefined);
      },
    },
    deps.log,
    deps.now,
    config.leaderFlagFile === undefined ? undefined : new LeaderFlagFile(config.leaderFlagFile, () => role.serving()),
  );
  const status = new EtcdNodeStatusReader({ client, config, electionName, presence, role, now: deps.now });
  return {
    master: { gate: role, ledger: transactions },
    status: () => status.read(),
    transactionIds: new ClusterTransactionIds(ledger, leadership, deps.highestUsedBefore),
    ceilings: undefined,
    start(agentParts) {
      parts = agentParts;
      // Healthy first: in a static election, the nodes after this one must see it before it could lead.
      presence
        .start()
        .catch((error: unknown) => deps.log.error({ err: error }, 'could not announce this node in etcd'))
        .finally(() => {
          if (!stopped) leadership.start();
        });
    },
    async stop() {
      stopped = true;
      await leadership.stop();
      await presence.stop();
      client.close();
    },
  };
}
