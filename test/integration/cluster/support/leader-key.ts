/** The site leader's candidate key in a real etcd, as the agents' Leadership campaigns for it (edge/cluster/leadership.ts). */
import { Etcd3 } from 'etcd3';

/** The election's oldest candidate key, which leads; its last part is the lease id it is bound to. */
export async function leaderKey(client: Etcd3, siteId: string): Promise<string | undefined> {
  const [key] = await client.getAll().prefix(`election/ampshare/${siteId}/leader/`).sort('Create', 'Ascend').keys();
  return key;
}

/** Revokes the leader's lease at etcd, as when etcd expires it: its key goes at once and another node may lead. */
export async function revokeLeaderLease(endpoints: readonly string[], siteId: string): Promise<void> {
  const client = new Etcd3({ hosts: [...endpoints] });
  try {
    const key = await leaderKey(client, siteId);
    if (key === undefined) throw new Error(`no leader key for ${siteId}`);
    await client.leaseClient.leaseRevoke({ ID: key.split('/').pop() ?? '' });
  } finally {
    client.close();
  }
}
