/** Maps validated site messages to the repositories' records (pure). */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import { ClusterFailoverDetailsSchema } from '../../shared/sync/cluster-failover';
import { ClusterMajorityDetailsSchema } from '../../shared/sync/cluster-majority';
import type { ClusterHealthRecord } from '../ports/cluster-health-repository';
import type { ClusterMajorityRecord } from '../ports/cluster-majority-repository';
import type { ClusterNodeRecord } from '../ports/cluster-node-repository';
import type { EventBody, SessionBody, SiteMessage, TelemetryBody } from '../../shared/sync/sync-messages';
import type { DemandMonthRecord } from '../ports/demand-month-repository';
import type { EventSeverity, SiteEvent } from '../ports/event-repository';
import type { SessionRecord } from '../ports/session-repository';
import type { TelemetrySample } from '../ports/telemetry-repository';

/**
 * A message of one stream. The shared envelope types `stream` as a plain string (its literal is built from a
 * string parameter), so the union does not narrow by itself: the stream check below does it once.
 */
type Bodies = { telemetry: TelemetryBody; sessions: SessionBody; events: EventBody };
type Of<S extends keyof Bodies> = Omit<SiteMessage, 'body' | 'stream'> & { stream: S; body: Bodies[S] };

const isStream = <S extends keyof Bodies>(message: SiteMessage, stream: S): message is SiteMessage & Of<S> =>
  message.stream === stream;

export interface SiteRecords {
  readonly telemetry: TelemetrySample[];
  readonly sessions: SessionRecord[];
  readonly events: SiteEvent[];
  /** One per month reported in the batch, its peaks the highest the batch's samples carried. */
  readonly demandMonths: DemandMonthRecord[];
  /** One per cluster node the batch's takeover events name: its latest. */
  readonly clusterNodes: ClusterNodeRecord[];
  /** One per cluster node whose samples in the batch carry figures: its latest. */
  readonly clusterHealth: ClusterHealthRecord[];
  /** One per two-gateway node the batch's majority events name: its latest. */
  readonly clusterMajority: ClusterMajorityRecord[];
}

/** The edge's `critical` is the cloud's `error`. */
const SEVERITY: Record<Of<'events'>['body']['severity'], EventSeverity> = {
  info: 'info',
  warning: 'warning',
  critical: 'error',
};

export function telemetrySample(tenantId: string, message: Of<'telemetry'>): TelemetrySample {
  const { body } = message;
  return {
    tenantId,
    siteId: message.siteId,
    at: message.at,
    messageId: message.messageId,
    ...(body.gridAmps ? { gridAmps: body.gridAmps } : {}),
    // The sum of the chargers' limits is what the allocator handed out on each grid phase.
    allocatedAmps: body.limitAmps,
    activeConnectors: body.charging,
    ...(body.csms ? { csms: body.csms } : {}),
  };
}

export function sessionRecord(tenantId: string, message: Of<'sessions'>): SessionRecord {
  const { body } = message;
  return {
    tenantId,
    siteId: message.siteId,
    sessionId: body.sessionId,
    connector: formatConnectorRef(body.chargerId, body.connectorId),
    startedAt: body.startedAt,
    energyWh: body.energyWh,
    ...(body.idTag !== undefined ? { idTag: body.idTag } : {}),
    ...(body.stoppedAt !== undefined ? { stoppedAt: body.stoppedAt } : {}),
  };
}

export function siteEvent(tenantId: string, message: Of<'events'>): SiteEvent {
  const { body } = message;
  const data = { ...body.details, ...(body.chargerId !== undefined ? { chargerId: body.chargerId } : {}) };
  return {
    tenantId,
    siteId: message.siteId,
    eventId: message.messageId,
    at: message.at,
    type: body.kind,
    severity: SEVERITY[body.severity],
    message: body.message,
    ...(body.reason !== undefined ? { reason: body.reason } : {}),
    ...(body.params !== undefined ? { params: body.params } : {}),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}

/** The peak-demand months the samples report, one per month: each peak the highest, the report time the latest. */
function demandMonths(tenantId: string, messages: readonly Of<'telemetry'>[]): DemandMonthRecord[] {
  const byMonth = new Map<string, DemandMonthRecord>();
  for (const { siteId, at, body } of messages) {
    if (body.demand === undefined) continue;
    const { month, periodMinutes, peakKw, peakAt, uncontrolledPeakKw } = body.demand;
    const kept = byMonth.get(month);
    const peak = kept !== undefined && kept.peakKw >= peakKw ? kept : { peakKw, peakAt };
    byMonth.set(month, {
      tenantId,
      siteId,
      month,
      periodMinutes,
      peakKw: peak.peakKw,
      ...(peak.peakAt !== undefined ? { peakAt: peak.peakAt } : {}),
      uncontrolledPeakKw: Math.max(kept?.uncontrolledPeakKw ?? 0, uncontrolledPeakKw),
      reportedAt: Math.max(kept?.reportedAt ?? 0, at),
    });
  }
  return [...byMonth.values()];
}

/**
 * The cluster nodes the takeover events report, the latest per node. An event whose details do not read as a
 * takeover's is kept as an event but says nothing about the cluster.
 */
function clusterNodes(tenantId: string, messages: readonly Of<'events'>[]): ClusterNodeRecord[] {
  const byNode = new Map<string, ClusterNodeRecord>();
  for (const { siteId, at, body } of messages) {
    if (body.kind !== 'cluster.failover') continue;
    const details = ClusterFailoverDetailsSchema.safeParse(body.details);
    if (!details.success) continue;
    const { nodeId, term, role, reason } = details.data;
    const kept = byNode.get(nodeId);
    if (kept !== undefined && kept.at > at) continue;
    byNode.set(nodeId, { tenantId, siteId, nodeId, role, term, at, ...(reason !== undefined && { reason }) });
  }
  return [...byNode.values()];
}

/** The majority changes the two-gateway events report, the latest per node; details that do not read as one say nothing. */
function clusterMajority(tenantId: string, messages: readonly Of<'events'>[]): ClusterMajorityRecord[] {
  const byNode = new Map<string, ClusterMajorityRecord>();
  for (const { siteId, at, body } of messages) {
    if (body.kind !== 'cluster.majority') continue;
    const details = ClusterMajorityDetailsSchema.safeParse(body.details);
    if (!details.success) continue;
    const kept = byNode.get(details.data.nodeId);
    if (kept === undefined || kept.at <= at) byNode.set(details.data.nodeId, { tenantId, siteId, at, ...details.data });
  }
  return [...byNode.values()];
}

/** The cluster figures the samples carry, the latest per node. */
function clusterHealth(tenantId: string, messages: readonly Of<'telemetry'>[]): ClusterHealthRecord[] {
  const byNode = new Map<string, ClusterHealthRecord>();
  for (const { siteId, at, body } of messages) {
    const figures = body.cluster;
    if (figures === undefined) continue;
    const kept = byNode.get(figures.nodeId);
    if (kept === undefined || kept.at <= at)
      byNode.set(figures.nodeId, { tenantId, siteId, nodeId: figures.nodeId, at, figures });
  }
  return [...byNode.values()];
}

const STATE_RANK = { started: 0, updated: 1, stopped: 2 } as const;

/**
 * Sessions are one row each (site, start time, id), overwritten by every update: within a batch only the most
 * advanced state of each session is written (a stop beats an update, a later update beats an earlier one).
 */
function latestSessions(messages: readonly Of<'sessions'>[]): Of<'sessions'>[] {
  const byKey = new Map<string, Of<'sessions'>>();
  for (const message of messages) {
    const key = `${message.body.startedAt}#${message.body.sessionId}`;
    const kept = byKey.get(key);
    const rank = STATE_RANK[message.body.state];
    if (!kept || rank > STATE_RANK[kept.body.state] || (rank === STATE_RANK[kept.body.state] && message.at >= kept.at))
      byKey.set(key, message);
  }
  return [...byKey.values()];
}

/** The records to write for the messages of one site. */
export function siteRecords(tenantId: string, messages: readonly SiteMessage[]): SiteRecords {
  const records: SiteRecords = {
    telemetry: [],
    sessions: [],
    events: [],
    demandMonths: [],
    clusterNodes: [],
    clusterHealth: [],
    clusterMajority: [],
  };
  const sessions: Of<'sessions'>[] = [];
  const samples: Of<'telemetry'>[] = [];
  const events: Of<'events'>[] = [];
  for (const message of messages) {
    if (isStream(message, 'telemetry')) samples.push(message);
    else if (isStream(message, 'events')) events.push(message);
    else if (isStream(message, 'sessions')) sessions.push(message);
  }
  records.events.push(...events.map((message) => siteEvent(tenantId, message)));
  records.clusterNodes.push(...clusterNodes(tenantId, events));
  records.clusterMajority.push(...clusterMajority(tenantId, events));
  records.telemetry.push(...samples.map((message) => telemetrySample(tenantId, message)));
  records.demandMonths.push(...demandMonths(tenantId, samples));
  records.clusterHealth.push(...clusterHealth(tenantId, samples));
  records.sessions.push(...latestSessions(sessions).map((message) => sessionRecord(tenantId, message)));
  return records;
}
