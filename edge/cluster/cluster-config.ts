/** The `cluster` section of the edge configuration: this agent is one node of a site's cluster (docs/cluster.md). */
import { z } from 'zod';
import { IdSchema } from '../../shared/site/site-schema';

/** An etcd member's client URL, e.g. `http://192.0.2.1:23790`. */
const EtcdEndpointSchema = z
  .string()
  .max(256)
  .regex(/^https?:\/\/[^\s/]+$/, 'expected http://host:port (an etcd client URL, without a path)');

/**
 * Without a witness, the link to the other gateway over which the two exchange their closed transactions
 * (peer-link.ts, docs/cluster.md "Merging the two gateways' records").
 */
const PeerLinkSchema = z
  .object({
    /** The other gateway's endpoint, `http://host:port` (its own `listenPort`). */
    url: z
      .string()
      .max(256)
      .regex(/^http:\/\/[^\s/]+$/, 'expected http://host:port (the other gateway, without a path)'),
    /** Where this node answers the other one. */
    listenHost: z.string().min(1).max(256).default('0.0.0.0'),
    listenPort: z.number().int().min(0).max(65_535).default(7311),
    /** A file holding the secret both gateways share (at least 32 characters); it never crosses the wire. */
    secretFile: z.string().min(1).max(4096),
    /** How often this node asks the other one for what changed. */
    syncIntervalSeconds: z.number().int().min(1).max(3_600).default(10),
  })
  .strict();

export const ELECTION_TYPES = ['static', 'dynamic'] as const;
export type ElectionType = (typeof ELECTION_TYPES)[number];

export const ClusterConfigSchema = z
  .object({
    /** This node's id: unique in the site, and listed in `staticOrder`. */
    nodeId: IdSchema,
    /**
     * False: two gateways without a witness, and no etcd (two members have no quorum once either is lost). Each node
     * serves the chargers that reach it, and exceeds their fail-safe only with a strict majority of the site's
     * chargers (charger-majority.ts); with `peer`, the two merge their records whenever they reach each other.
     */
    witness: z.boolean().default(true),
    /** The client URLs of the site's etcd members (two gateways and a witness); only with a witness. */
    etcdEndpoints: z.array(EtcdEndpointSchema).min(1).max(9).optional(),
    /** The leadership lease: a dead master's chargers go to the next one a few seconds after this. */
    leaseTtlSeconds: z.number().int().min(2).max(60).default(5),
    /** How long before its lease can have expired the master stops acting (clock drift, one action, keepalived's interval). */
    fenceMarginMs: z.number().int().min(100).max(20_000).default(1_500),
    /** How often a node renews its leases (the leadership's and its presence key's). */
    leaseRenewalMs: z.number().int().min(100).max(20_000).default(1_000),
    /**
     * The longest etcd may take to elect a leader of its own (1 to 2 s seen with etcd's default `--election-timeout` of
     * 1 s): a master must outlast it between two renewals, so the TTL less the margin less a renewal must be at least this.
     */
    etcdElectionMs: z.number().int().min(100).max(60_000).default(2_500),
    /** How long one etcd call may take before it fails. */
    etcdCallTimeoutMs: z.number().int().min(100).max(60_000).default(2_000),
    /** Every node of the site, first the one that should lead. */
    staticOrder: z.array(IdSchema).min(1).max(9),
    /** `static`: the first healthy node in `staticOrder` leads; `dynamic`: any healthy node may. */
    election: z.enum(ELECTION_TYPES).default('dynamic'),
    /** The virtual address keepalived moves with the master (as in its `virtual_ipaddress`, without the prefix length). */
    virtualAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
    /** The file keepalived's notify script writes its state to (packaging/keepalived/notify-state.sh), for the dashboard. */
    keepalivedStateFile: z.string().min(1).max(4096).optional(),
    /** The file keepalived's track script reads (`<term> <pid>`, leader-flag-file.ts): present exactly while this node serves. */
    leaderFlagFile: z.string().min(1).max(4096).optional(),
    /** Only without a witness: the link to the other gateway that merges the two gateways' records. */
    peer: PeerLinkSchema.optional(),
  })
  .strict()
  .superRefine((cluster, ctx) => {
    if (cluster.witness && cluster.etcdEndpoints === undefined)
      ctx.addIssue({ code: 'custom', path: ['etcdEndpoints'], message: 'required with a witness' });
    if (!cluster.witness && cluster.etcdEndpoints !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['etcdEndpoints'],
        message: 'a site without a witness runs no etcd (two members have no quorum once either is lost)',
      });
    if (cluster.witness && cluster.peer !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['peer'],
        message: 'only without a witness (with one, the ledger in etcd is shared)',
      });
    if (!cluster.witness && cluster.staticOrder.length !== 2)
      ctx.addIssue({ code: 'custom', path: ['staticOrder'], message: 'must list the two gateways without a witness' });
    if (!cluster.staticOrder.includes(cluster.nodeId))
      ctx.addIssue({ code: 'custom', path: ['staticOrder'], message: `must list this node "${cluster.nodeId}"` });
    if (new Set(cluster.staticOrder).size !== cluster.staticOrder.length)
      ctx.addIssue({ code: 'custom', path: ['staticOrder'], message: 'lists a node twice' });
    const outlastsMs = cluster.leaseTtlSeconds * 1000 - cluster.fenceMarginMs - cluster.leaseRenewalMs;
    if (outlastsMs < cluster.etcdElectionMs)
      ctx.addIssue({
        code: 'custom',
        path: ['leaseTtlSeconds'],
        message:
          `less fenceMarginMs less leaseRenewalMs leaves ${outlastsMs} ms, under etcdElectionMs (${cluster.etcdElectionMs}): ` +
          'a master whose renewal is lost while etcd elects a leader would stop serving (docs/cluster.md, "Self-fencing")',
      });
  });

export type ClusterConfig = z.output<typeof ClusterConfigSchema>;

/** The longest a frame takes on the site's LAN, once it has left the central system (docs/cluster.md). */
export const LAN_FRAME_MS = 1_000;

/**
 * Without a witness, the shortest lease that lets a node's hold of two leases outlast the other node's leases
 * (docs/cluster.md, "Counting only chargers heard"): the other node's last lease above the fail-safe may leave up to
 * a command timeout after its last majority, and then takes its time on the LAN.
 */
export function twoGatewayLeaseFloorMs(commandTimeoutMs: number): number {
  return commandTimeoutMs + LAN_FRAME_MS;
}
