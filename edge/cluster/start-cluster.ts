/**
 * The agent as one node of its site's cluster (docs/cluster.md), built from the configuration's `cluster` section: the
 * etcd client, the leadership, the ledger, cluster-wide transaction ids, and the master role that gates the OCPP
 * server; or, on a two-gateway site without a witness, a node without etcd (two-gateway-node.ts). The agent builds
 * its parts with `master`, `transactionIds` and `ceilings`, then calls `start` with them; from then on the node
 * campaigns, and serves chargers only while it is the master (a two-gateway node serves any charger that reaches it).
 */
import type { ClusterNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ClusterNetwork } from '../../shared/dashboard/network-answer';
import { AppError } from '../../shared/errors';
import { ClusterNetworkReader } from './cluster-network';
import { TakeoverReport } from './takeover-report';
import type { ConnectorCeilings, InheritedLease, LeaseSender, SessionRecord } from '../control/control-ports';
import type { MasterGate, TransactionIds, TransactionLedger } from '../ocpp/central-system-ports';
import type { PolicyInForceRecord } from '../control/policy-in-force';
import type { ChargerConnections } from '../ocpp/charger-connections';
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { ClusterConfig } from './cluster-config';
import { type CloudLink, CloudLinkFollower } from './cloud-link-follower';
import { ClusterTransactionIds } from './cluster-transaction-ids';
import { createEtcdClient } from './etcd-client';
import { ElectionCandidacy } from './election-candidacy';
import { type ElectionSetting, ElectionSettingStore } from './election-setting';
import { EtcdMemberReads } from './etcd-member-health';
import { EtcdNodeStatusReader } from './etcd-node-status';
import { hostAddresses } from './host-addresses';
import { LeaderFlagFile } from './leader-flag-file';
import { LeaderLedger } from './leader-ledger';
import { LedgerChargerStore, type LocalChargerRegistry } from './ledger-charger-store';
import { type ChargerCredentialStore, LedgerChargers } from './ledger-chargers';
import { LedgerEnergy } from './ledger-energy';
import { LedgerPruner, pruneLedger } from './ledger-pruning';
import { LedgerLeaseSender } from './ledger-lease-sender';
import { LedgerLeases } from './ledger-leases';
import { type ReplicatedOutbox, takeOutboxFromLedger } from './ledger-outbox';
import { LedgerPolicy, type PolicyHolder, takePolicyFromLedger } from './ledger-policy';
import { LedgerSiteVersion, type SiteVersionHolder, siteReplica, takeSiteFromLedger } from './ledger-site-version';
import { Leadership } from './leadership';
import { LedgerTransactions } from './ledger-transactions';
import { type CsmsLimitsHolder, takeLimitsFromLedger, UpstreamLimitsLedger } from './ledger-upstream-limits';
import { UpstreamLedgerReplica } from './ledger-upstream-replica';
import { MasterRole, type MasterRoleLog } from './master-role';
import { monotonicClock } from './monotonic-clock';
import { NodePresence } from './node-presence';
import { OutboxRecorder } from './outbox-recorder';
import { PresenceMemory } from './presence-memory';
import { PeerMerge, type PeerMergeLog } from './peer-merge';
import { adoptTransactions, type ClosedSessionSink } from './transaction-adoption';
import { type ReplicatedUpstreamLog, takeUpstreamFromLedger } from './upstream-takeover';
import type { TransactionExchange } from './transaction-merge';
import { createTwoGatewayNode, type TwoGatewayDeps } from './two-gateway-node';

/** The agent's parts the master role acts on. */
export interface ClusterAgentParts {
  readonly connections: ChargerConnections;
  readonly sessions: { openSessions(): SessionRecord[] } & ClosedSessionSink;
  readonly control: ChargerInputSink & { inheritLease(lease: InheritedLease): void };
  readonly policy: PolicyHolder;
  /** The store's closed transactions and stray stops, as two gateways without a witness exchange them. */
  readonly exchange: TransactionExchange;
  /** The port the OCPP server listens on, announced to the peers (the Network page dials it). */
  readonly ocppPort: number;
  /** The outbox to the cloud (the takeover events; copied into the ledger on the master); none without a cloud link. */
  readonly outbox: ReplicatedOutbox | undefined;
  /** The charger registry's credentials (passwords' hashes, switches), which a new master takes from the ledger. */
  readonly chargers: ChargerCredentialStore;
  /** The site version in force, which a new master takes from the ledger when the ledger's is newer. */
  readonly site: SiteVersionHolder;
  /** The cloud link, opened while this node leads and closed otherwise (cloud-link-follower.ts); none without one. */
  readonly cloudLink: CloudLink | undefined;
  /** The links to the operator's CSMS, opened while this node serves as master and closed at its fence; none without. */
  readonly csmsLinks: CloudLink | undefined;
  /** The forward log to the operator's CSMS, which a new master takes from the ledger; none without a CSMS. */
  readonly upstreamLog: ReplicatedUpstreamLog | undefined;
  /** The CSMS's own limits, which a new master takes from the ledger; none without a CSMS. */
  readonly csmsLimits: CsmsLimitsHolder | undefined;
}

export interface ClusterNode {
  /** The master role the OCPP server takes chargers through; none on a two-gateway node, which serves any charger. */
  readonly master:
    | {
        readonly gate: MasterGate;
        readonly ledger: TransactionLedger;
        /** `sender` with each lease recorded in the ledger as ledger-lease-sender.ts does; call once. */
        recordLeases(sender: LeaseSender): LeaseSender;
        /** Records a policy put in force on this node in the ledger, while it serves (PolicyInForce's `replicate`). */
        readonly recordPolicy: (record: PolicyInForceRecord) => void;
        /** `registry` with each password and switch recorded in the ledger first, changed only on the master. */
        recordChargers(registry: LocalChargerRegistry): LedgerChargerStore;
        /** Where a site change is recorded before it is saved (SiteChanges's `replica`); refuses on a standby. */
        readonly siteReplica: ReturnType<typeof siteReplica>;
        /** Where the forward log's changes go before a charger is answered (the group commit's replica). */
        readonly upstreamReplica: UpstreamLedgerReplica;
        /** Where the CSMS's limits go before the CSMS hears Accepted (CsmsLimits's replica). */
        readonly upstreamLimits: UpstreamLimitsLedger;
      }
    | undefined;
  readonly transactionIds: TransactionIds;
  /** On a two-gateway node, the two-gateway rule as the allocation's ceilings (majority-ceilings.ts). */
  readonly ceilings: ConnectorCeilings | undefined;
  /** On a two-gateway node, `sender` with the rule asked again as each lease above the fail-safe leaves; call once. */
  readonly majorityLeases: ((sender: LeaseSender) => LeaseSender) | undefined;
  /** Whether this node leads now: serves as master, or on two gateways may exceed the fail-safe (its load is the site's). */
  leads(): boolean;
  /** This node's place in the cluster now (the dashboard's Cluster page); read only, bounded by the etcd call timeout. */
  status(): Promise<ClusterNodeStatus>;
  /** The virtual address, the peers' reachability, etcd's members and keepalived (the Network page); read only, bounded. */
  network(): Promise<ClusterNetwork>;
  /**
   * Changes the site's election for every node (election-setting.ts) if it is still at `version`; refused without etcd's
   * quorum, on a stale version, and on a site without a witness (no etcd: its election is the configured order).
   */
  changeElection(setting: ElectionSetting, version: string): Promise<void>;
  /** Starts campaigning; the agent's parts must be built. */
  start(parts: ClusterAgentParts): void;
  /** Stops leading (another node takes over at once) and closes the etcd client. */
  stop(): Promise<void>;
}

export interface ClusterNodeDeps extends TwoGatewayDeps {
  readonly siteId: string;
  /** The highest transaction id this agent may have handed out alone (its SQLite counter). */
  readonly highestUsedBefore: number;
  /** Without a witness, the secret the two gateways share (read from `cluster.peer.secretFile`). */
  readonly peerSecret: string | undefined;
  readonly log: MasterRoleLog & PeerMergeLog;
}

/** Close code 1012 (service restart): the charger reconnects, and reaches the next master. */
const FENCED_CLOSE_CODE = 1012;

export function createClusterNode(config: ClusterConfig, deps: ClusterNodeDeps): ClusterNode {
  // Without a witness the configuration has no etcd (cluster-config.ts).
  if (config.etcdEndpoints === undefined) {
    const network = new ClusterNetworkReader({
      config,
      presence: undefined,
      members: undefined,
      hostAddresses,
      now: deps.now,
    });
    const node = createTwoGatewayNode(config, deps, network);
    const merge = config.peer && new PeerMerge(config.peer, deps.peerSecret ?? '', deps);
    return {
      master: undefined,
      ...node,
      network: () => network.read(),
      changeElection: () => Promise.reject(AppError.because('resource.conflict', 'cluster.noEtcd')),
      start(parts) {
        node.start(parts.cloudLink, parts.outbox);
        merge?.start(parts).catch((error: unknown) => deps.log.error({ err: error }, 'cannot serve the other gateway'));
      },
      async stop() {
        await merge?.stop();
        await node.stop();
      },
    };
  }
  const client = createEtcdClient(config.etcdEndpoints, config.etcdCallTimeoutMs);
  const presence = new NodePresence(
    client,
    `ampshare/${deps.siteId}/presence/`,
    config.nodeId,
    { ttlSeconds: config.leaseTtlSeconds, renewEveryMs: config.leaseRenewalMs },
    monotonicClock,
    hostAddresses(),
  );
  const setting = new ElectionSettingStore(client, `ampshare/${deps.siteId}/settings/election`, {
    electionType: config.election,
    staticOrder: config.staticOrder,
  });
  let parts: ClusterAgentParts | undefined;
  let stopped = false;
  const electionName = `ampshare/${deps.siteId}/leader`;
  const leadership: Leadership = new Leadership({
    client,
    electionName,
    nodeId: config.nodeId,
    ttlSeconds: config.leaseTtlSeconds,
    fenceMarginMs: config.fenceMarginMs,
    renewEveryMs: config.leaseRenewalMs,
    clock: monotonicClock,
    listener: { elected: (term) => role.elected(term), fenced: (event) => role.fenced(event) },
    candidacy: new ElectionCandidacy(setting, presence, config.nodeId),
  });
  const ledger = new LeaderLedger(client, leadership, `ampshare/${deps.siteId}/ledger/`);
  const energy = new LedgerEnergy(ledger, deps.now);
  const transactions = new LedgerTransactions(ledger, energy);
  const leases = new LedgerLeases(ledger);
  const policy = new LedgerPolicy(ledger);
  const chargers = new LedgerChargers(ledger);
  const siteVersion = new LedgerSiteVersion(ledger);
  let leaseSender: LedgerLeaseSender | undefined;
  const takeovers = new TakeoverReport(config.nodeId, deps.now);
  const outboxCopies = new OutboxRecorder(ledger, deps.log);
  const upstreamReplica = new UpstreamLedgerReplica(ledger);
  const upstreamLimits = new UpstreamLimitsLedger(ledger, deps.log);
  const cloudLink = new CloudLinkFollower(deps.log);
  // The CSMS sees one connection per charger identity: the master's, once it took the ledger (docs/cluster.md).
  const csmsLinks = new CloudLinkFollower(deps.log);
  const pruner = new LedgerPruner(
    () => {
      if (parts === undefined) throw new Error('serving before the agent was built');
      return pruneLedger(transactions, ledger, parts.sessions, deps.now());
    },
    () => role.serving(),
    deps.log,
  );
  const role: MasterRole = new MasterRole(
    leadership,
    {
      prepare: async (term) => {
        if (parts === undefined) throw new Error('elected before the agent was built');
        // First: the transactions, leases and policy name the site's chargers and connectors.
        deps.log.info({ outcome: await takeSiteFromLedger(siteVersion, parts.site) }, 'site version from the ledger');
        const count = adoptTransactions(
          await transactions.read(),
          parts.sessions.openSessions(),
          { control: parts.control, history: parts.sessions },
          deps.now(),
        );
        deps.log.info(count, 'transactions adopted from the ledger');
        // After the adoption: an inherited lease holds only on a transaction running here.
        const inherited = await leases.read();
        leaseSender?.seed(inherited);
        for (const lease of inherited) parts.control.inheritLease(lease);
        deps.log.info({ leases: inherited.length }, 'leases inherited from the ledger');
        const metered = await energy.rebuild(parts.sessions.openSessions(), parts.control);
        deps.log.info({ sessions: metered }, 'session energy taken from the ledger');
        deps.log.info({ outcome: await takePolicyFromLedger(policy, parts.policy) }, 'policy in force from the ledger');
        deps.log.info(await chargers.rebuild(parts.chargers), 'charger credentials from the ledger');
        // Before the links to the CSMS open (once the node serves): they deliver what the old master queued.
        if (parts.upstreamLog !== undefined)
          deps.log.info(
            await takeUpstreamFromLedger(ledger, term, parts.upstreamLog, upstreamReplica, deps.log),
            'forward log to the CSMS from the ledger',
          );
        // After the adoption (a TxProfile needs its transaction), before the links: the CSMS's limits hold at once.
        if (parts.csmsLimits !== undefined)
          deps.log.info(
            await takeLimitsFromLedger(ledger, term, parts.csmsLimits, upstreamLimits, deps.log),
            'CSMS limits from the ledger',
          );
        // Last: the old master's messages go to the cloud before anything this node queues as master.
        if (parts.outbox !== undefined)
          deps.log.info(
            await takeOutboxFromLedger(ledger, parts.outbox, outboxCopies, deps.log),
            'outbox from the ledger',
          );
      },
      dropChargers: (reason) => {
        for (const connection of parts?.connections.all() ?? [])
          connection.client.close({ code: FENCED_CLOSE_CODE, reason }).catch(() => undefined);
      },
    },
    deps.log,
    deps.now,
    [
      ...(config.leaderFlagFile === undefined ? [] : [new LeaderFlagFile(config.leaderFlagFile, () => role.serving())]),
      takeovers,
      pruner,
      outboxCopies,
      upstreamReplica,
      upstreamLimits,
      // After the takeover report: a fence's event is queued before the link closes.
      cloudLink,
      csmsLinks,
    ],
  );
  // One memory of the peers' announcements and one read of the members, for the Cluster and Network pages alike.
  const presenceMemory = new PresenceMemory(presence);
  const members = new EtcdMemberReads(config.etcdEndpoints, config.etcdCallTimeoutMs, deps.now);
  const network = new ClusterNetworkReader({ config, presence: presenceMemory, members, hostAddresses, now: deps.now });
  const status = new EtcdNodeStatusReader({
    client,
    config,
    electionName,
    presence: presenceMemory,
    members,
    setting,
    role,
    now: deps.now,
  });
  return {
    master: {
      gate: role,
      ledger: transactions,
      recordLeases: (sender) => {
        leaseSender = new LedgerLeaseSender(sender, {
          leases,
          gate: role,
          now: deps.now,
          writeMs: config.etcdCallTimeoutMs,
        });
        return leaseSender;
      },
      recordPolicy: (record) => {
        if (!role.serving()) return;
        policy
          .write(record)
          .catch((error: unknown) => deps.log.error({ err: error }, 'policy in force not recorded in the ledger'));
      },
      recordChargers: (registry) => new LedgerChargerStore(registry, chargers, role),
      siteReplica: siteReplica(siteVersion, role),
      upstreamReplica,
      upstreamLimits,
    },
    leads: () => role.serving(),
    status: () => status.read(),
    network: () => network.read(),
    async changeElection(change, version) {
      const before = setting.current();
      const after = await setting.change(change, version);
      deps.log.info({ before, after }, 'election setting changed');
    },
    transactionIds: new ClusterTransactionIds(ledger, leadership, deps.highestUsedBefore),
    ceilings: undefined,
    majorityLeases: undefined,
    start(agentParts) {
      parts = agentParts;
      takeovers.sendTo(agentParts.outbox);
      if (agentParts.outbox !== undefined) outboxCopies.attach(agentParts.outbox);
      cloudLink.attach(agentParts.cloudLink);
      csmsLinks.attach(agentParts.csmsLinks);
      // Healthy first: in a static election, the nodes after this one must see it before it could lead.
      presence
        .start(agentParts.ocppPort)
        .catch((error: unknown) => deps.log.error({ err: error }, 'could not announce this node in etcd'))
        .finally(() => {
          if (!stopped) leadership.start();
        });
    },
    async stop() {
      stopped = true;
      pruner.stop();
      await leadership.stop();
      outboxCopies.fenced();
      await presence.stop();
      client.close();
    },
  };
}
