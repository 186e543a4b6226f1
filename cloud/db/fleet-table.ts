/** The fleet table and its entities (dynamodb-toolbox v2), built from the deps: no table name or client at import time. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { any, boolean, Entity, item, list, map, number, string, Table } from 'dynamodb-toolbox';
import type { Charger } from '../../shared/site/site-schema';
import type { Policy } from '../../shared/policy/policy-schema';
import type { SaidParams } from '../../shared/server-messages';
import type { ClusterFigures } from '../../shared/sync/cluster-figures';
import type { SiteConfig } from '../ports/site-repository';
import * as keys from './keys';
import { GSI1, PARTITION_KEY, SORT_KEY } from './table-definition';

export interface FleetTableDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The toolbox Table for the fleet table. */
export function createFleetTable({ documentClient, tableName }: FleetTableDeps) {
  return new Table({
    documentClient,
    name: tableName,
    partitionKey: PARTITION_KEY,
    sortKey: SORT_KEY,
    indexes: { GSI1: { type: 'global', partitionKey: GSI1.partitionKey, sortKey: GSI1.sortKey } },
  });
}

export type FleetTable = ReturnType<typeof createFleetTable>;

const phaseAmps = () => list(number());

/** Every entity of the fleet table; timestamps are ours (epoch ms from the injected clock), not the toolbox's. */
export function createFleetEntities(table: FleetTable) {
  const tenant = new Entity({
    name: 'Tenant',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      name: string(),
      status: string().enum('active', 'disabled'),
      createdAt: number(),
    }),
    computeKey: ({ tenantId }) => keys.tenantKey(tenantId),
  });
  const site = new Entity({
    name: 'Site',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      config: any().castAs<SiteConfig>(),
      gatewayThingName: string().optional(),
      connectivity: map({
        state: string().enum('unknown', 'online', 'offline'),
        since: number(),
        source: map({ thingName: string(), order: number() }).optional(),
      }),
      createdAt: number(),
      updatedAt: number(),
    }),
    computeKey: ({ tenantId, siteId }) => keys.siteKey(tenantId, siteId),
  });
  const charger = new Entity({
    name: 'Charger',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      chargerId: string().key(),
      charger: any().castAs<Charger>(),
      updatedAt: number(),
    }),
    computeKey: ({ tenantId, siteId, chargerId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.chargerSortKey(chargerId),
    }),
  });
  const policyVersion = new Entity({
    name: 'PolicyVersion',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      version: number().key(),
      policy: any().castAs<Policy>(),
      createdAt: number(),
      author: string().optional(),
      source: string().enum('api', 'rollout', 'edge'),
    }),
    computeKey: ({ tenantId, siteId, version }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.policyVersionSortKey(version),
    }),
  });
  const appliedPolicy = new Entity({
    name: 'AppliedPolicy',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      version: number(),
      status: string().enum('applied', 'rejected'),
      source: string().enum('cloud', 'local', 'config').optional(),
      message: string().optional(),
      reportedAt: number(),
      policy: any().castAs<Policy>().optional(),
    }),
    computeKey: ({ tenantId, siteId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.APPLIED_POLICY_SORT_KEY,
    }),
  });
  const telemetry = new Entity({
    name: 'Telemetry',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      at: number().key(),
      messageId: string().key(),
      gridAmps: phaseAmps().optional(),
      allocatedAmps: phaseAmps().optional(),
      chargingWatts: number().optional(),
      activeConnectors: number().optional(),
      csms: map({
        chargers: number(),
        connected: number(),
        backlogMessages: number(),
        oldestQueuedAt: number().optional(),
        setAside: number(),
      }).optional(),
      expiresAt: number(),
    }),
    computeKey: ({ tenantId, siteId, at, messageId }) => ({
      PK: keys.telemetryPartition(tenantId, siteId, at),
      SK: keys.telemetrySortKey(at, messageId),
    }),
  });
  const session = new Entity({
    name: 'Session',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      startedAt: number().key(),
      sessionId: string().key(),
      connector: string(),
      idTag: string().optional(),
      stoppedAt: number().optional(),
      energyWh: number(),
    }),
    computeKey: ({ tenantId, siteId, startedAt, sessionId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.sessionSortKey(startedAt, sessionId),
    }),
  });
  const event = new Entity({
    name: 'Event',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      at: number().key(),
      eventId: string().key(),
      type: string(),
      severity: string().enum('info', 'warning', 'error'),
      message: string(),
      // Optional: events stored before issue 16 (and older agents' events) have neither.
      reason: string().optional(),
      params: any().castAs<SaidParams>().optional(),
      data: any().castAs<Record<string, string | number | boolean | null>>().optional(),
      expiresAt: number(),
    }),
    computeKey: ({ tenantId, siteId, at, eventId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.eventSortKey(at, eventId),
    }),
  });
  const gateway = new Entity({
    name: 'Gateway',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      thingName: string().key(),
      credentialId: string(),
      status: string().enum('active', 'revoked'),
      createdAt: number(),
      revokedAt: number().optional(),
      GSI1PK: string(),
      GSI1SK: string(),
    }),
    computeKey: ({ tenantId, siteId, thingName }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.gatewaySortKey(thingName),
    }),
  });
  const demandMonth = new Entity({
    name: 'DemandMonth',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      month: string().key(),
      periodMinutes: number(),
      peakKw: number(),
      peakAt: number().optional(),
      uncontrolledPeakKw: number(),
      reportedAt: number(),
      /** Counts the writes: each one is conditional on the revision it read (the peaks only rise). */
      revision: number(),
    }),
    computeKey: ({ tenantId, siteId, month }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.demandMonthSortKey(month),
    }),
  });
  const demandTariff = new Entity({
    name: 'DemandTariff',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      perKw: number(),
      per: string().enum('year', 'month'),
      currency: string(),
      updatedAt: number(),
    }),
    computeKey: ({ tenantId, siteId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.DEMAND_TARIFF_SORT_KEY,
    }),
  });
  const clusterNode = new Entity({
    name: 'ClusterNode',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      nodeId: string().key(),
      role: string().enum('master', 'fenced'),
      term: string(),
      at: number(),
      reason: string().optional(),
    }),
    computeKey: ({ tenantId, siteId, nodeId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.clusterNodeSortKey(nodeId),
    }),
  });
  const clusterHealth = new Entity({
    name: 'ClusterHealth',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      nodeId: string().key(),
      at: number(),
      // Validated by the telemetry's schema on the way in and by it again on the way out (cluster-health-repository.ts).
      figures: any().castAs<ClusterFigures>(),
    }),
    computeKey: ({ tenantId, siteId, nodeId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.nodeHealthSortKey(nodeId),
    }),
  });
  const clusterMajority = new Entity({
    name: 'ClusterMajority',
    table,
    timestamps: false,
    schema: item({
      tenantId: string().key(),
      siteId: string().key(),
      nodeId: string().key(),
      mayExceedFailSafe: boolean(),
      countedChargers: number(),
      siteChargers: number(),
      at: number(),
    }),
    computeKey: ({ tenantId, siteId, nodeId }) => ({
      PK: keys.sitePartition(tenantId, siteId),
      SK: keys.majoritySortKey(nodeId),
    }),
  });
  return {
    tenant,
    site,
    charger,
    policyVersion,
    appliedPolicy,
    telemetry,
    session,
    event,
    gateway,
    demandMonth,
    demandTariff,
    clusterNode,
    clusterHealth,
    clusterMajority,
  };
}

export type FleetEntities = ReturnType<typeof createFleetEntities>;
