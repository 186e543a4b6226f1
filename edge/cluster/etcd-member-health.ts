/**
 * Each etcd member's health as the dashboard's Network page shows it: a status call to that member alone (a client of
 * its own, closed after), within the node's etcd call timeout. A member answers its own status without a quorum, so
 * a page shows which member is gone when the cluster as a whole does not answer.
 */
import type { EtcdMemberHealth } from '../../shared/dashboard/network-answer';
import { createEtcdClient } from './etcd-client';

export function etcdMemberHealth(endpoints: readonly string[], callTimeoutMs: number): Promise<EtcdMemberHealth[]> {
  return Promise.all(endpoints.map((endpoint) => memberHealth(endpoint, callTimeoutMs)));
}

async function memberHealth(endpoint: string, callTimeoutMs: number): Promise<EtcdMemberHealth> {
  const client = createEtcdClient([endpoint], callTimeoutMs);
  try {
    const status = await client.maintenance.status({ deadline: new Date(Date.now() + callTimeoutMs) });
    return { endpoint, healthy: true, raftLeader: status.leader === status.header.member_id, version: status.version };
  } catch {
    return { endpoint, healthy: false, raftLeader: null, version: null };
  } finally {
    client.close();
  }
}
