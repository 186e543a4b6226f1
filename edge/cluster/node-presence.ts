/**
 * Which nodes of a site are healthy, as etcd sees them: each node keeps a key `<prefix><nodeId>` on a lease of its own,
 * which etcd3 keeps alive. etcd deletes the key once the node stops renewing it (dead, frozen, cut off from etcd's
 * quorum), so a node's health is decided by the same quorum that elects the master, on etcd's clock, and not by the
 * nodes probing each other: two gateways that cannot see each other would each find the other dead, while etcd's
 * answer is one for every node. A node whose lease is lost puts its key again on a new lease.
 */
import type { Etcd3, Lease } from 'etcd3';
import type { Clock } from '../platform/clock';

export class NodePresence {
  private lease: Lease | undefined;
  private stopped = true;
  private cancelRetry = () => {};

  constructor(
    private readonly client: Etcd3,
    /** The site's presence folder, e.g. `ampshare/site-1/presence/`. */
    private readonly prefix: string,
    private readonly nodeId: string,
    private readonly ttlSeconds: number,
    private readonly callTimeoutMs: number,
    private readonly clock: Clock,
  ) {}

  /** Puts this node's key; resolves once it is in etcd (a node campaigns only after it says it is healthy). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.announce();
  }

  /** Revokes this node's key, so the others see it gone at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetry();
    const lease = this.lease;
    this.lease = undefined;
    await lease?.revoke({ deadline: this.deadline() }).catch(() => undefined);
  }

  /** The ids of the nodes whose key is alive now. */
  async healthy(): Promise<Set<string>> {
    const keys = await this.client.getAll().prefix(this.prefix).options({ deadline: this.deadline() }).keys();
    return new Set(keys.map((key) => key.slice(this.prefix.length)));
  }

  private async announce(): Promise<void> {
    const lease = this.client.lease(this.ttlSeconds);
    this.lease = lease;
    lease.on('lost', () => {
      if (this.lease === lease && !this.stopped) this.retry();
    });
    try {
      await lease
        .put(this.prefix + this.nodeId)
        .value(this.nodeId)
        .options({ deadline: this.deadline() });
    } catch (error) {
      if (this.lease === lease && !this.stopped) this.retry();
      throw error;
    }
  }

  private retry(): void {
    this.lease?.release();
    this.cancelRetry();
    this.cancelRetry = this.clock.after((this.ttlSeconds * 1000) / 3, () => {
      if (!this.stopped) this.announce().catch(() => undefined);
    });
  }

  private deadline(): Date {
    return new Date(Date.now() + this.callTimeoutMs);
  }
}
