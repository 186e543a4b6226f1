/**
 * Which nodes of a site are healthy, as etcd sees them: each node keeps a key `<prefix><nodeId>` on a lease of its own.
 * The node renews that lease as the leadership renews its own (lease-renewal.ts: keepalives of its own, each to a member
 * etcd3 picks, another beside one not yet answered), not with etcd3's keepalive stream, which sits on one member: frozen
 * or silent there, the lease ran out before etcd3 gave the stream up, and the node was absent for seconds
 * (node-presence.test.ts). etcd deletes the key once the node stops renewing it (dead, frozen, cut off from etcd's
 * quorum), so a node's health is decided by the same quorum that elects the master, on etcd's clock, and not by the
 * nodes probing each other: two gateways that cannot see each other would each find the other dead, while etcd's
 * answer is one for every node. A node whose lease is lost all the same puts its key again at once, on a new lease. The
 * key's value carries the node's addresses and OCPP port, for the dashboard (JSON `{ "addresses": [...], "ocppPort": n }`;
 * a value that is not is read as no addresses).
 */
import type { Etcd3, Lease } from 'etcd3';
import { z } from 'zod';
import type { Clock } from '../platform/clock';
import { LeaseRenewal } from './lease-renewal';

/** At most this many nodes are read for the dashboard (a site has at most 9, `cluster.staticOrder`). */
const MAX_PRESENT_NODES = 32;
const PresenceValueSchema = z.object({
  addresses: z.array(z.string().max(64)).max(16),
  /** The port its OCPP server listens on (the Network page dials it); absent from a node that did not say. */
  ocppPort: z.number().int().min(1).max(65_535).optional(),
});

/** What a node announces with its presence key. */
export type Announcement = z.output<typeof PresenceValueSchema>;

/** The presence key's lease: its TTL and how often it is renewed (the leadership's own, cluster.leaseRenewalMs). */
export interface PresenceLease {
  readonly ttlSeconds: number;
  readonly renewEveryMs: number;
}

export class NodePresence {
  private lease: Lease | undefined;
  private renewal: LeaseRenewal | undefined;
  private stopped = true;
  private cancelRetry = () => {};

  constructor(
    private readonly client: Etcd3,
    /** The site's presence folder, e.g. `ampshare/site-1/presence/`. */
    private readonly prefix: string,
    private readonly nodeId: string,
    private readonly timing: PresenceLease,
    private readonly clock: Clock,
    /** This node's addresses, announced with its key. */
    private readonly addresses: readonly string[] = [],
  ) {}

  private ocppPort: number | undefined;

  /**
   * Puts this node's key, with its OCPP port when given; resolves once it is in etcd (a node campaigns only after it
   * says it is healthy).
   */
  async start(ocppPort?: number): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.ocppPort = ocppPort;
    await this.announce();
  }

  /** Revokes this node's key, so the others see it gone at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.drop();
    const lease = this.lease;
    this.lease = undefined;
    await lease?.revoke().catch(() => undefined);
  }

  /** The ids of the nodes whose key is alive now. */
  async healthy(): Promise<Set<string>> {
    const keys = await this.client.getAll().prefix(this.prefix).keys();
    return new Set(keys.map((key) => key.slice(this.prefix.length)));
  }

  /** The nodes whose key is alive now (at most 32), each with what it announced. */
  async present(): Promise<Map<string, Announcement>> {
    const values = await this.client.getAll().prefix(this.prefix).limit(MAX_PRESENT_NODES).strings();
    return new Map(
      Object.entries(values).map(([key, value]) => [key.slice(this.prefix.length), announcedAddresses(value)]),
    );
  }

  /**
   * Puts the key on a new lease, renewed from then on. A lease lost after its key was put (etcd let it run out: no
   * keepalive got through for a TTL) is replaced at once, so the node is absent no longer than etcd takes to answer;
   * a put that fails is tried again a renewal period later.
   */
  private async announce(): Promise<void> {
    this.drop();
    const lease = this.client.lease(this.timing.ttlSeconds, { autoKeepAlive: false });
    const renewal = new LeaseRenewal({
      lease,
      clock: this.clock,
      renewEveryMs: this.timing.renewEveryMs,
      usefulMs: this.timing.ttlSeconds * 1000,
    });
    this.lease = lease;
    this.renewal = renewal;
    let put = false;
    lease.on('lost', () => {
      if (put && this.lease === lease && !this.stopped) this.announce().catch(() => undefined);
    });
    try {
      await lease
        .put(this.prefix + this.nodeId)
        .value(JSON.stringify({ addresses: this.addresses, ocppPort: this.ocppPort }));
    } catch (error) {
      if (this.lease === lease && !this.stopped) this.retry();
      throw error;
    }
    put = true;
    if (this.lease === lease && !this.stopped) renewal.start(this.timing.renewEveryMs);
  }

  /** Stops renewing the current lease; etcd lets it run out. */
  private drop(): void {
    this.cancelRetry();
    this.renewal?.stop();
    this.lease?.release();
  }

  private retry(): void {
    this.drop();
    this.cancelRetry = this.clock.after(this.timing.renewEveryMs, () => {
      if (!this.stopped) this.announce().catch(() => undefined);
    });
  }
}

function announcedAddresses(value: string): Announcement {
  try {
    return PresenceValueSchema.parse(JSON.parse(value));
  } catch {
    return { addresses: [] };
  }
}
