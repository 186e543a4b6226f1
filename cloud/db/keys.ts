/**
 * Key layout of the single fleet table. Every site-scoped key starts with the tenant id, so a request can only
 * ever address its own tenant's items. Ids are IdSchema strings (no `#`), so `#` separates key parts safely.
 */

const pad = (value: number, width: number) => String(Math.max(0, Math.trunc(value))).padStart(width, '0');
/** Epoch ms as 13 digits: sorts lexically until the year 2286. */
export const padTime = (epochMs: number) => pad(epochMs, 13);
export const padVersion = (version: number) => pad(version, 10);

export const tenantKey = (tenantId: string) => ({ PK: `TENANT#${tenantId}`, SK: 'TENANT' });

/** Sites live in their tenant's partition, so that listing a tenant's sites is one Query. */
export const tenantPartition = (tenantId: string) => `TENANT#${tenantId}`;
export const SITE_PREFIX = 'SITE#';
export const siteKey = (tenantId: string, siteId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${SITE_PREFIX}${siteId}`,
});

/** Everything that belongs to one site (chargers, policy versions, sessions, events, gateways) shares one partition. */
export const sitePartition = (tenantId: string, siteId: string) => `SITE#${tenantId}#${siteId}`;

export const CHARGER_PREFIX = 'CHARGER#';
export const chargerSortKey = (chargerId: string) => `${CHARGER_PREFIX}${chargerId}`;

export const POLICY_VERSION_PREFIX = 'POLICY#V#';
export const policyVersionSortKey = (version: number) => `${POLICY_VERSION_PREFIX}${padVersion(version)}`;
export const APPLIED_POLICY_SORT_KEY = 'POLICY#APPLIED';

export const SESSION_PREFIX = 'SESSION#';
export const sessionSortKey = (startedAt: number, sessionId: string) =>
  `${SESSION_PREFIX}${padTime(startedAt)}#${sessionId}`;

export const EVENT_PREFIX = 'EVENT#';
export const eventSortKey = (at: number, eventId: string) => `${EVENT_PREFIX}${padTime(at)}#${eventId}`;

/** A site's peak-demand months (`DEMAND#2026-12`), in month order. */
export const DEMAND_MONTH_PREFIX = 'DEMAND#';
export const demandMonthSortKey = (month: string) => `${DEMAND_MONTH_PREFIX}${month}`;
/** A site's capacity tariff: one item, outside the `DEMAND#` months' range. */
export const DEMAND_TARIFF_SORT_KEY = 'TARIFF#DEMAND';

/** A site's cluster nodes (`CLUSTER#<nodeId>`), each as its latest takeover event left it. */
export const CLUSTER_NODE_PREFIX = 'CLUSTER#';
export const clusterNodeSortKey = (nodeId: string) => `${CLUSTER_NODE_PREFIX}${nodeId}`;
/** A site's cluster nodes' health (`NODEHEALTH#<nodeId>`), each as its latest telemetry sample left it. */
export const NODE_HEALTH_PREFIX = 'NODEHEALTH#';
export const nodeHealthSortKey = (nodeId: string) => `${NODE_HEALTH_PREFIX}${nodeId}`;
/** A two-gateway node's latest majority report. */
export const MAJORITY_PREFIX = 'MAJORITY#';
export const majoritySortKey = (nodeId: string) => `${MAJORITY_PREFIX}${nodeId}`;

export const GATEWAY_PREFIX = 'GATEWAY#';
export const gatewaySortKey = (thingName: string) => `${GATEWAY_PREFIX}${thingName}`;
/** GSI1 key of a gateway registration: thing name -> tenant and site. */
export const gatewayIndexKey = (thingName: string) => ({ GSI1PK: `THING#${thingName}`, GSI1SK: 'GATEWAY' });

/** Telemetry is bucketed per site and UTC day: writes spread over many partitions and a range reads few. */
export const DAY_MS = 24 * 3600 * 1000;
export const telemetryDay = (epochMs: number) =>
  new Date(Math.floor(epochMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
export const telemetryPartition = (tenantId: string, siteId: string, epochMs: number) =>
  `TELEMETRY#${tenantId}#${siteId}#${telemetryDay(epochMs)}`;
export const telemetrySortKey = (at: number, messageId: string) => `${padTime(at)}#${messageId}`;

/** The UTC day starts (epoch ms) whose buckets overlap [from, to). */
export function telemetryDaysBetween(from: number, to: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) days.push(day);
  return days;
}
