/**
 * What a node on etcd reports of itself and its cluster (the dashboard's Cluster page): its role from its master role,
 * the election's leader, the nodes' presence keys and the site's election setting read from etcd now (three bounded
 * reads, each within the node's etcd call timeout). Read only: it writes nothing to etcd. etcd keeps no times, so "since" and "last seen" are what
 * this node observed since it started.
 */
import type { Etcd3 } from 'etcd3';
import type { ClusterPeer, EtcdNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ClusterConfig } from './cluster-config';
import type { VersionedElectionSetting } from './election-setting';
import type { FenceRecord } from './master-role';
import type { Announcement } from './node-presence';

export interface EtcdNodeStatusDeps {
  readonly client: Etcd3;
  readonly config: ClusterConfig;
  /** The election's name, as the node's Leadership campaigns in it. */
  readonly electionName: string;
  readonly presence: { present(): Promise<Map<string, Announcement>> };
  /** The site's election setting in etcd (election-setting.ts); the last one read while etcd does not answer. */
  readonly setting: { read(): Promise<VersionedElectionSetting>; current(): VersionedElectionSetting };
  readonly role: {
    servingSince(): { readonly term: string; readonly at: number } | undefined;
    lastFence(): FenceRecord | undefined;
  };
  readonly now: () => number;
}

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
    const found = await Promise.all([this.deps.presence.present(), this.leaderKey(), this.deps.setting.read()]).catch(
      () => undefined,
    );
    const [present, leader, election] = found ?? [undefined, undefined, this.deps.setting.current()];
    for (const id of present?.keys() ?? []) this.lastSeen.set(id, now);
    const serving = role.servingSince();
    const fence = role.lastFence();
    if (leader !== undefined && leader.term !== this.seenTerm?.term) this.seenTerm = { term: leader.term, at: now };
    const ownTerm = serving !== undefined && serving.term === leader?.term;
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
      leader: leader === undefined ? null : { ...leader, since: ownTerm ? serving.at : (this.seenTerm?.at ?? null) },
      lastFence: fence === undefined ? null : { ...fence },
      peers: this.peers(present),
      witness: { configured: true, etcdReachable: found !== undefined },
    };
  }

  /** The nodes of the static order, then any other node present in etcd, this one left out. */
  private peers(present: Map<string, Announcement> | undefined): ClusterPeer[] {
    const ids = new Set([...this.deps.config.staticOrder, ...(present?.keys() ?? [])]);
    ids.delete(this.deps.config.nodeId);
    for (const id of this.lastSeen.keys()) if (!ids.has(id)) this.lastSeen.delete(id);
    return [...ids].map((id) => ({
      id,
      addresses: [...(present?.get(id)?.addresses ?? [])],
      healthy: present === undefined ? null : present.has(id),
      lastSeenAt: this.lastSeen.get(id) ?? null,
    }));
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
