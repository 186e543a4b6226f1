/** Builds the agent's side of the operator's CSMS from the `upstream` section: its stores, TLS files and gateway. */
import type { Logger } from 'pino';
import type { OcppServerConfig } from '../config/edge-config-schema';
import type { ChargerConnections } from '../ocpp/charger-connections';
import { readPem } from '../ocpp/tls-files';
import type { Clock } from '../platform/clock';
import type { StoreDatabase } from '../store/store-database';
import { SqliteUpstreamAuthorizationStore } from '../store/upstream-authorization-store';
import { SqliteUpstreamDeliveredMessages } from '../store/upstream-delivered-store';
import { SqliteUpstreamForwardLog } from '../store/upstream-forward-log';
import { UpstreamGroupCommit } from '../store/upstream-group-commit';
import { UpstreamLogChanges, type UpstreamLogReplica } from '../store/upstream-log-changes';
import { SqliteUpstreamResyncStore } from '../store/upstream-resync-store';
import { SqliteUpstreamSetAside } from '../store/upstream-set-aside-store';
import type { CompositeAnswers } from './composite-answers';
import type { UpstreamConfig } from './upstream-config';
import { UpstreamGateway } from './upstream-gateway';
import type { UpstreamLimits } from './upstream-limits-port';
import { UpstreamLinkReport, type UpstreamReportSinks } from './upstream-link-report';

export interface UpstreamParts {
  readonly db: StoreDatabase;
  readonly connections: ChargerConnections;
  readonly ocpp: Pick<OcppServerConfig, 'heartbeatIntervalSeconds' | 'maxFrameBytes' | 'meterSampleIntervalSeconds'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Where the CSMS's own TxProfiles and TxDefaultProfiles go (edge/upstream/csms-limits.ts in the agent). */
  readonly limits: UpstreamLimits;
  /** Answers the CSMS's GetCompositeSchedule with what is in force (the agent's); without it the charger does. */
  readonly composite?: CompositeAnswers;
  readonly random?: () => number;
  /** Where losses, recoveries and thinned meter values are reported besides the log (the dashboard, the cloud). */
  readonly report: Pick<UpstreamReportSinks, 'addEvent' | 'outbox'>;
  /** A cluster node's links open only while it serves as master (`openLinks`, `closeLinks`); a single agent's at once. */
  readonly linksFollowLeadership: boolean;
  /** On a cluster node: where the forward log's changes go before a charger is answered (the ledger). */
  readonly replica?: UpstreamLogReplica;
}

export function startUpstream(config: UpstreamConfig, parts: UpstreamParts): UpstreamGateway {
  const { tls } = config;
  const file = (path: string | undefined, field: string) =>
    path === undefined ? {} : { [field]: readPem(path, `upstream.tls.${field}Path`) };
  const changes = parts.replica && new UpstreamLogChanges();
  const log = new SqliteUpstreamForwardLog(
    parts.db,
    config.maxQueuedMeterValuesPerCharger,
    (chargerId) => report.onThinned(chargerId),
    changes,
  );
  const report = new UpstreamLinkReport(
    {
      ...parts.report,
      log: parts.log,
      backlogMessages: (id) => log.backlog(id).messages,
    },
    parts.clock,
  );
  const gateway = new UpstreamGateway(
    {
      config,
      tls: tls && { ...file(tls.caPath, 'ca'), ...file(tls.certPath, 'cert'), ...file(tls.keyPath, 'key') },
      heartbeatIntervalSeconds: parts.ocpp.heartbeatIntervalSeconds,
      configuration: { meterSampleIntervalSeconds: parts.ocpp.meterSampleIntervalSeconds },
      maxFrameBytes: parts.ocpp.maxFrameBytes,
    },
    {
      connections: parts.connections,
      log,
      setAside: new SqliteUpstreamSetAside(parts.db),
      report,
      commits: new UpstreamGroupCommit(
        parts.db,
        undefined,
        changes && parts.replica && { changes, replica: parts.replica },
      ),
      resync: new SqliteUpstreamResyncStore(parts.db),
      delivered: new SqliteUpstreamDeliveredMessages(parts.db, changes),
      authorization: new SqliteUpstreamAuthorizationStore(parts.db),
      limits: parts.limits,
      composite: parts.composite,
      clock: parts.clock,
      random: parts.random ?? Math.random,
      logger: parts.log,
    },
  );
  // What chargers that are not connected left in the log goes to the CSMS without waiting for them.
  if (!parts.linksFollowLeadership) gateway.openLinks();
  return gateway;
}
