/**
 * The cluster figures a telemetry sample carries (shared/sync/cluster-figures.ts). A sample is made synchronously in
 * the control loop's round, while the node's status and network are read from etcd and the peers (each read bounded
 * by the node's etcd call timeout, a peer's dial by a second): so each sample takes the figures the last read left, and
 * starts the next read, one at a time. A sample's figures are thus at most one telemetry interval and one read old.
 * The network (a TCP dial to each peer, a client to each etcd member) is read at most once a minute: the peers' and
 * members' health is then up to a minute older than the node's own role and term.
 */
import type { ClusterNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ClusterNetwork } from '../../shared/dashboard/network-answer';
import { type ClusterFigures, ClusterFiguresSchema, clusterFigures } from '../../shared/sync/cluster-figures';
import type { SyncLog } from './sync-ports';

/** What the agent's cluster node answers its dashboard (edge/cluster/start-cluster.ts). */
export interface ClusterFiguresSource {
  status(): Promise<ClusterNodeStatus>;
  network(): Promise<ClusterNetwork>;
}

/** How often the network is read again for telemetry. */
export const NETWORK_READ_EVERY_MS = 60_000;

export class ClusterFiguresReader {
  private latest: ClusterFigures | undefined;
  private reading = false;
  private network: { readonly at: number; readonly read: ClusterNetwork | undefined } | undefined;

  constructor(
    private readonly source: ClusterFiguresSource,
    private readonly log: SyncLog,
    private readonly now: () => number,
  ) {}

  /** The figures of the last read (none before the first one ends), and the next read started. */
  readonly figures = (): ClusterFigures | undefined => {
    if (!this.reading) this.read();
    return this.latest;
  };

  private read(): void {
    this.reading = true;
    Promise.all([this.source.status(), this.readNetwork()])
      .then(([status, network]) => {
        const made = clusterFigures(status, network);
        const figures = made === undefined ? undefined : ClusterFiguresSchema.safeParse(made);
        if (figures === undefined || figures.success) this.latest = figures?.data;
        else this.log.warn({ issues: figures.error.issues }, 'cluster figures left out of telemetry');
      })
      .catch((error: unknown) => this.log.warn({ err: error }, 'cluster status not read for telemetry'))
      .finally(() => {
        this.reading = false;
      });
  }

  /** The network as last read, read again once a minute; a failed read of it still leaves the status. */
  private async readNetwork(): Promise<ClusterNetwork | undefined> {
    const now = this.now();
    if (this.network !== undefined && now - this.network.at < NETWORK_READ_EVERY_MS) return this.network.read;
    const read = await this.source.network().catch(() => undefined);
    this.network = { at: now, read };
    return read;
  }
}
