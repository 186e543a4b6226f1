/**
 * What a node on etcd reports of itself and its cluster (the dashboard's Cluster page): its role from its master role,
 * the election's leader, the nodes' presence keys and the site's election setting read from etcd now (three bounded
 * reads, each within the node's etcd call timeout). Read only: it writes nothing to etcd. etcd keeps no times, so "since" and "last seen" are what
 * this node observed since it started.
 */
import type { Etcd3 } from 'etcd3';
import type { ClusterPeer, ClusterWitness, EtcdNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { EtcdMemberHealth } from '../../shared/dashboard/network-answer';
import type { ClusterConfig } from './cluster-config';
import type { VersionedElectionSetting } from './election-setting';
import type { EtcdMemberReads } from './etcd-member-health';
import type { FenceRecord } from './master-role';
import type { Announcement } from './node-presence';

export interface EtcdNodeStatusDeps {
  readonly client: Etcd3;
  readonly config: ClusterConfig;
  /** The election's name, as the node's Leadership campaigns in it. */
  readonly electionName: string;
  readonly presence: { present(): Promise<Map<string, Announcement>>; known(): string[] };
  /** Each etcd member's health, the Network page's read shared (the witness's row). */
  readonly members: Pick<EtcdMemberReads, 'read' | 'lastAnsweredAt'>;
  /** The site's election setting in etcd (election-setting.ts); the last one read while etcd does not answer. */
  readonly setting: { read(): Promise<VersionedElectionSetting>; current(): VersionedElectionSetting };
  readonly role: {
    servingSince(): { readonly term: string; readonly at: number } | undefined;
    lastFence(): FenceRecord | undefined;
  };
  readonly now: () => number;
}

/**
 * The witness's health may be this old: the Network page's read is shared, and this status is read at every telemetry
 * sample (every 10 s by default), which before read the members once a minute; 15 s keeps that to one read in two
 * samples while the Cluster page's witness row lags at most 15 s (an open Network page reads them every second).
 */
const MEMBERS_MAX_AGE_MS = 15_000;

interface LeaderKey {
  readonly nodeId: string;
  readonly term: string;
}

export class EtcdNodeStatusReader {
  private readonly lastSeen = new Map<string, number>();
  /** The latest term this node has seen a leader in, and when it first saw it. */
  private seenTerm: { readonly term: string; readonly at: number } | undefined;

  constructor(private readonly deps: EtcdNodeStatusDeps) {}

  async read(): Promise<EtcdNodeStatus> {
    const { config, role } = this.deps;
    const now = this.deps.now();
    const [found, members] = await Promise.all([
      Promise.all([this.deps.presence.present(), this.leaderKey(), this.deps.setting.read()]).catch(() => undefined),
      this.deps.members.read(MEMBERS_MAX_AGE_MS),
    ]);
    const [present, leader, election] = found ?? [undefined, undefined, this.deps.setting.current()];
    for (const id of present?.keys() ?? []) this.lastSeen.set(id, now);
    const serving = role.servingSince();
    const fence = role.lastFence();
    if (leader !== undefined && leader.term !== this.seenTerm?.term) this.seenTerm = { term: leader.term, at: now };
    const ownTerm = serving !== undefined && serving.term === leader?.term;
    const leaderSince = ownTerm ? serving.at : (this.seenTerm?.at ?? null);
    return {
      mode: 'etcd',
      nodeId: config.nodeId,
      role:
        serving !== undefined
          ? 'master'
          : fence !== undefined && (leader === undefined || BigInt(leader.term) <= BigInt(fence.term))
            ? 'fenced'
            : 'standby',
      electionType: election.electionType,
      staticOrder: [...election.staticOrder],
      electionVersion: election.version,
      electionSource: election.source,
      leader: leader === undefined ? null : { ...leader, since: leaderSince },
      lastFence: fence === undefined ? null : { ...fence },
      peers: this.peers(present, leader === undefined ? undefined : { ...leader, since: leaderSince }),
      witness: { configured: true, etcdReachable: found !== undefined },
      witnesses: this.witnesses(members, present),
    };
  }

  /** The members named after no node of the site: they run no agent (a member never answered is listed too). */
  private witnesses(members: EtcdMemberHealth[], present: Map<string, Announcement> | undefined): ClusterWitness[] {
    const nodes = new Set([...this.deps.config.staticOrder, ...(present?.keys() ?? []), ...this.deps.presence.known()]);
    return members
      .filter((m) => m.name === null || !nodes.has(m.name))
      .map((m) => ({
        name: m.name,
        endpoint: m.endpoint,
        healthy: m.healthy,
        lastSeenAt: this.deps.members.lastAnsweredAt(m.endpoint),
      }));
  }

  /** The nodes of the static order, then any other node present in etcd, this one left out. */
  private peers(
    present: Map<string, Announcement> | undefined,
    leader: (LeaderKey & { readonly since: number | null }) | undefined,
  ): ClusterPeer[] {
    const ids = new Set([...this.deps.config.staticOrder, ...(present?.keys() ?? [])]);
    ids.delete(this.deps.config.nodeId);
    for (const id of this.lastSeen.keys()) if (!ids.has(id)) this.lastSeen.delete(id);
    return [...ids].map((id) => {
      const leads = leader?.nodeId === id;
      return {
        id,
        // A leader key outlives its node by at most the lease; its presence key goes with it, so only a present
        // node is named master here (etcd's answer, not this node's guess).
        role: present?.has(id) !== true ? 'unknown' : leads ? 'master' : 'standby',
        term: leads && present?.has(id) === true ? leader.term : null,
        since: leads && present?.has(id) === true ? leader.since : null,
        addresses: [...(present?.get(id)?.addresses ?? [])],
        healthy: present === undefined ? null : present.has(id),
        lastSeenAt: this.lastSeen.get(id) ?? null,
      };
    });
  }

  /** The election's oldest candidate key, which leads (leadership.ts); undefined when nobody campaigns. */
  private async leaderKey(): Promise<LeaderKey | undefined> {
    const oldest = await this.deps.client
      .getAll()
      .prefix(`election/${this.deps.electionName}/`)
      .sort('Create', 'Ascend')
      .limit(1)
      .exec();
    const key = oldest.kvs[0];
    return key === undefined ? undefined : { nodeId: key.value.toString(), term: key.create_revision };
  }
}
