/**
 * A cluster node's network as the dashboard's Network page shows it: the virtual address and whether this gateway has
 * it, the peers (the static order's nodes and any other present in etcd) with whether each is reachable now
 * (tcp-reach.ts), each etcd member's health and keepalived's state. Read only; every part bounded in time.
 */
import type { ClusterNetwork, NetworkPeer } from '../../shared/dashboard/network-answer';
import type { ClusterConfig } from './cluster-config';
import { etcdMemberHealth } from './etcd-member-health';
import { readKeepalivedState } from './keepalived-state';
import type { Announcement } from './node-presence';
import { firstReachable } from './tcp-reach';

/** A connection on the site's LAN is made in milliseconds; one second bounds the page's read on a silent peer. */
const REACH_TIMEOUT_MS = 1_000;

export interface ClusterNetworkDeps {
  readonly config: ClusterConfig;
  /** The nodes present in etcd; absent on two gateways without a witness (no etcd). */
  readonly presence: { present(): Promise<Map<string, Announcement>> } | undefined;
  readonly hostAddresses: () => readonly string[];
}

export async function readClusterNetwork(deps: ClusterNetworkDeps): Promise<ClusterNetwork> {
  const { config } = deps;
  const [peers, etcdMembers, keepalived] = await Promise.all([
    readPeers(deps),
    config.etcdEndpoints === undefined ? [] : etcdMemberHealth(config.etcdEndpoints, config.etcdCallTimeoutMs),
    config.keepalivedStateFile === undefined ? undefined : readKeepalivedState(config.keepalivedStateFile),
  ]);
  const vip = config.virtualAddress;
  return {
    virtualAddress: vip === undefined ? null : { address: vip, held: deps.hostAddresses().includes(vip) },
    peers,
    etcdMembers,
    keepalived: keepalived ?? null,
  };
}

async function readPeers(deps: ClusterNetworkDeps): Promise<NetworkPeer[]> {
  const present = await deps.presence?.present().catch(() => undefined);
  const ids = new Set([...deps.config.staticOrder, ...(present?.keys() ?? [])]);
  ids.delete(deps.config.nodeId);
  return Promise.all(
    [...ids].map(async (id) => {
      const announced = present?.get(id);
      const addresses = [...(announced?.addresses ?? [])];
      const port = announced?.ocppPort;
      const reachedAt =
        port === undefined || addresses.length === 0
          ? undefined
          : ((await firstReachable(addresses, port, REACH_TIMEOUT_MS)) ?? null);
      return {
        id,
        addresses,
        present: present === undefined ? null : present.has(id),
        reachedAt: reachedAt ?? null,
        reachable: reachedAt === undefined ? null : reachedAt !== null,
      };
    }),
  );
}
