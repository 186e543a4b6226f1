/**
 * A cluster node's network as the dashboard's Network page shows it: the virtual address and whether this gateway has
 * it, the peers (the static order's nodes and any other known from etcd) with whether each is reachable now
 * (tcp-reach.ts), each etcd member's health and keepalived's state. A peer is dialled where it last said it was (its
 * presence key's addresses and OCPP port, kept while the key is gone or etcd does not answer: presence-memory.ts), or,
 * on two gateways without etcd, at the host and port of `cluster.peer.url`, the other agent's own link. Read only;
 * every part bounded in time.
 */
import type { ClusterNetwork, NetworkPeer } from '../../shared/dashboard/network-answer';
import type { ClusterConfig } from './cluster-config';
import type { EtcdMemberReads } from './etcd-member-health';
import { readKeepalivedState } from './keepalived-state';
import type { Announcement } from './node-presence';
import type { PresenceMemory } from './presence-memory';
import { SharedRead } from './shared-read';
import { firstReachable } from './tcp-reach';

/** A connection on the site's LAN is made in milliseconds; one second bounds the page's read on a silent peer. */
const REACH_TIMEOUT_MS = 1_000;
/** The Network page wants the state now; a read this young is as good (the Cluster page's may be its own). */
const PAGE_MAX_AGE_MS = 1_000;

export interface ClusterNetworkDeps {
  readonly config: ClusterConfig;
  /** The nodes present in etcd; absent on two gateways without a witness (no etcd). */
  readonly presence: PresenceMemory | undefined;
  /** Each etcd member's health; absent without etcd. */
  readonly members: EtcdMemberReads | undefined;
  readonly hostAddresses: () => readonly string[];
  readonly now: () => number;
}

export class ClusterNetworkReader {
  private readonly shared: SharedRead<ClusterNetwork>;
  private readonly reachedAt = new Map<string, number>();

  constructor(private readonly deps: ClusterNetworkDeps) {
    this.shared = new SharedRead(() => this.readNow(), deps.now);
  }

  /** The network as the Network page shows it, read now (or within the last second). */
  read(maxAgeMs = PAGE_MAX_AGE_MS): Promise<ClusterNetwork> {
    return this.shared.read(maxAgeMs);
  }

  /** When `id` last took a connection (since this node started); null when it never did. */
  lastReachedAt(id: string): number | null {
    return this.reachedAt.get(id) ?? null;
  }

  private async readNow(): Promise<ClusterNetwork> {
    const { config, members } = this.deps;
    const [peers, etcdMembers, keepalived] = await Promise.all([
      this.readPeers(),
      members?.read(PAGE_MAX_AGE_MS) ?? [],
      config.keepalivedStateFile === undefined ? undefined : readKeepalivedState(config.keepalivedStateFile),
    ]);
    const vip = config.virtualAddress;
    return {
      virtualAddress: vip === undefined ? null : { address: vip, held: this.deps.hostAddresses().includes(vip) },
      peers,
      etcdMembers,
      keepalived: keepalived ?? null,
    };
  }

  private async readPeers(): Promise<NetworkPeer[]> {
    const { config, presence } = this.deps;
    const present = await presence?.present().catch(() => undefined);
    const ids = new Set([...config.staticOrder, ...(present?.keys() ?? []), ...(presence?.known() ?? [])]);
    ids.delete(config.nodeId);
    return Promise.all(
      [...ids].map(async (id) => {
        const target = present?.get(id)?.addresses.length ? present.get(id) : this.lastKnown(id);
        const addresses = [...(target?.addresses ?? [])];
        const port = target?.ocppPort;
        const reachedAt =
          port === undefined || addresses.length === 0
            ? undefined
            : ((await firstReachable(addresses, port, REACH_TIMEOUT_MS)) ?? null);
        if (typeof reachedAt === 'string') this.reachedAt.set(id, this.deps.now());
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

  /** Where `id` was last said to be: its last presence, or on two gateways the configured link to the other one. */
  private lastKnown(id: string): Announcement | undefined {
    const { config, presence } = this.deps;
    if (presence !== undefined) return presence.lastKnown(id);
    if (config.peer === undefined) return undefined;
    const url = new URL(config.peer.url);
    return { addresses: [url.hostname.replace(/^\[(.*)\]$/, '$1')], ocppPort: Number(url.port || 80) };
  }
}
