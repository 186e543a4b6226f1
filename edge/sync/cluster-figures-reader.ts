/**
 * The cluster figures a telemetry sample carries (shared/sync/cluster-figures.ts). A sample is made synchronously in
 * the control loop's round, while the node's status and network are read from etcd and the peers (each read bounded
 * by the node's etcd call timeout, a peer's dial by a second): so each sample takes the figures the last read left, and
 * starts the next read, one at a time. A sample's figures are thus at most one telemetry interval and one read old.
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

export class ClusterFiguresReader {
  private latest: ClusterFigures | undefined;
  private reading = false;

  constructor(
    private readonly source: ClusterFiguresSource,
    private readonly log: SyncLog,
  ) {}

  /** The figures of the last read (none before the first one ends), and the next read started. */
  readonly figures = (): ClusterFigures | undefined => {
    if (!this.reading) this.read();
    return this.latest;
  };

  private read(): void {
    this.reading = true;
    // The network is only the peers' reachability and etcd's members: a failed read of it still leaves the status.
    Promise.all([this.source.status(), this.source.network().catch(() => undefined)])
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
}
