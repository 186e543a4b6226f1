/**
 * Each etcd member's health as the dashboard's Network and Cluster pages show it: a status call to that member alone (a
 * client of its own, closed after), within the node's etcd call timeout, and its own name from its member list. A
 * member answers both without a quorum (etcd 3.4 serves the member list from the member's own copy), so a page shows
 * which member is gone when the cluster as a whole does not answer. The name tells the witness apart: a member named
 * after a node runs that node's agent, one named after none is the witness (docs/cluster.md).
 */
import type { EtcdMemberHealth } from '../../shared/dashboard/network-answer';
import { createEtcdClient } from './etcd-client';
import { SharedRead } from './shared-read';

export function etcdMemberHealth(endpoints: readonly string[], callTimeoutMs: number): Promise<EtcdMemberHealth[]> {
  return Promise.all(endpoints.map((endpoint) => memberHealth(endpoint, callTimeoutMs)));
}

async function memberHealth(endpoint: string, callTimeoutMs: number): Promise<EtcdMemberHealth> {
  const client = createEtcdClient([endpoint], callTimeoutMs);
  const deadline = () => ({ deadline: new Date(Date.now() + callTimeoutMs) });
  try {
    const [status, list] = await Promise.all([
      client.maintenance.status(deadline()),
      client.cluster.memberList({}, deadline()).catch(() => undefined),
    ]);
    const self = status.header.member_id;
    return {
      endpoint,
      name: list?.members.find((member) => member.ID === self)?.name || null,
      healthy: true,
      raftLeader: status.leader === self,
      version: status.version,
    };
  } catch {
    return { endpoint, name: null, healthy: false, raftLeader: null, version: null };
  } finally {
    client.close();
  }
}

/**
 * The members' health read once for both pages and the telemetry (the Network page's read, reused by the Cluster
 * page's witness row rather than a second round of clients; shared-read.ts). A member's name is kept from its last
 * answer, so a member gone silent is still known by it, and so is when it last answered (since this node started).
 */
export class EtcdMemberReads {
  private readonly shared: SharedRead<EtcdMemberHealth[]>;
  private readonly names = new Map<string, string>();
  private readonly answeredAt = new Map<string, number>();

  constructor(endpoints: readonly string[], callTimeoutMs: number, now: () => number) {
    this.shared = new SharedRead(async () => {
      const read = await etcdMemberHealth(endpoints, callTimeoutMs);
      const at = now();
      for (const member of read) {
        if (member.name !== null) this.names.set(member.endpoint, member.name);
        if (member.healthy) this.answeredAt.set(member.endpoint, at);
      }
      return read.map((m) => ({ ...m, name: m.name ?? this.names.get(m.endpoint) ?? null }));
    }, now);
  }

  read(maxAgeMs: number): Promise<EtcdMemberHealth[]> {
    return this.shared.read(maxAgeMs);
  }

  /** When `endpoint` last answered a read; null when it never did. */
  lastAnsweredAt(endpoint: string): number | null {
    return this.answeredAt.get(endpoint) ?? null;
  }
}
