/**
 * A real edge agent (startAgent) as one node of a site's cluster, in this test process: the edge fixture's site and
 * settings with a `cluster` section on a real etcd, its control events recorded. Its chargers are the simulator's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { ClusterConfig } from '../../../../edge/cluster/cluster-config';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import { type RunningAgent, startAgent } from '../../../../edge/main';
import { SqliteSessionHistory } from '../../../../edge/store/session-history';
import type { UpstreamConfigInput } from '../../../../edge/upstream/upstream-config';
import { DATABASE_FILE, StoreDatabase } from '../../../../edge/store/store-database';
import type { SessionHistoryRow } from '../../../../shared/dashboard/api-answers';
import { ControlRecorder } from '../../edge/support/control-recorder';
import { type EdgeOptions, edgeConfig } from '../../edge/support/edge-fixture';

export interface ClusterAgentSettings {
  readonly nodeId: string;
  readonly siteId: string;
  readonly endpoints: readonly string[];
  readonly staticOrder: readonly string[];
  readonly election?: ClusterConfig['election'];
  readonly chargers: number;
  /** Control settings over the edge fixture's (a short `leaseSeconds`, for a lease to run out within a test). */
  readonly control?: EdgeOptions['control'];
  /** More of the `cluster` section (the Network page's virtual address and keepalived state file). */
  readonly network?: Pick<ClusterConfig, 'virtualAddress' | 'keepalivedStateFile'>;
  /** Where the OCPP server listens: loopback unless a peer must reach it on the host's own addresses. */
  readonly ocppHost?: string;
  /** The cloud link (`sync` section; its `siteId` must be `siteId`). */
  readonly sync?: EdgeOptions['sync'];
  /** The operator's CSMS in front of which the node runs (`upstream` section). */
  readonly upstream?: UpstreamConfigInput;
  /** The data folder of a node stopped with `stop(true)`, to start it again on its SQLite; a new one by default. */
  readonly dataDir?: string;
}

export class ClusterAgent {
  private stopped = false;

  private constructor(
    readonly agent: RunningAgent,
    readonly events: ControlRecorder,
    readonly dataDir: string,
  ) {}

  static async start(settings: ClusterAgentSettings): Promise<ClusterAgent> {
    const dataDir = settings.dataDir ?? mkdtempSync(path.join(os.tmpdir(), `ampshare-${settings.nodeId}-`));
    const base = edgeConfig(
      {
        chargers: settings.chargers,
        ...(settings.control && { control: settings.control }),
        ...(settings.sync && { sync: settings.sync }),
      },
      dataDir,
    );
    const config = parseEdgeConfig(
      {
        ...base,
        ...(settings.upstream && { upstream: settings.upstream }),
        site: { ...base.site, id: settings.siteId },
        ...(settings.ocppHost !== undefined && { ocpp: { ...base.ocpp, host: settings.ocppHost } }),
        cluster: {
          nodeId: settings.nodeId,
          etcdEndpoints: [...settings.endpoints],
          // Short leases on loopback, renewed every third of the TTL as before the setting; the 1 s they leave a master
          // between a lost renewal and its fence deadline covers an election of the tests' loopback etcd.
          leaseTtlSeconds: 2,
          fenceMarginMs: 300,
          leaseRenewalMs: 667,
          etcdElectionMs: 1_000,
          staticOrder: [...settings.staticOrder],
          election: settings.election ?? 'dynamic',
          ...settings.network,
        },
      },
      dataDir,
    );
    const events = new ControlRecorder();
    const agent = await startAgent(config, { logger: pino({ level: 'silent' }), observer: events });
    return new ClusterAgent(agent, events, dataDir);
  }

  /** True while this node serves chargers as the site's master. */
  get serving(): boolean {
    return this.agent.cluster?.master?.gate.serving() ?? false;
  }

  /** The sessions in this node's SQLite, as its dashboard lists and exports them. */
  storedSessions(): SessionHistoryRow[] {
    const db = new StoreDatabase(path.join(this.dataDir, DATABASE_FILE), { readonly: true });
    try {
      return new SqliteSessionHistory(db).recent(100);
    } finally {
      db.close();
    }
  }

  /** Stops the agent and removes its data folder, unless `keepData` (the test starts the node again on it). */
  async stop(keepData = false): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.agent.stop();
    if (!keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
