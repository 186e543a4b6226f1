/** Builds every DynamoDB repository of the fleet table from explicit deps (composition roots call this). */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FleetRepositories } from '../ports/fleet-repositories';
import { createChargerRepository } from './charger-repository';
import { createClusterHealthRepository } from './cluster-health-repository';
import { createClusterMajorityRepository } from './cluster-majority-repository';
import { createClusterNodeRepository } from './cluster-node-repository';
import { createDemandMonthRepository } from './demand-month-repository';
import { createDemandTariffRepository } from './demand-tariff-repository';
import { createEventRepository } from './event-repository';
import { createFleetEntities, createFleetTable } from './fleet-table';
import { createGatewayRepository } from './gateway-repository';
import { createPolicyRepository } from './policy-repository';
import { createSessionRepository } from './session-repository';
import { createSiteRepository } from './site-repository';
import { createTelemetryRepository } from './telemetry-repository';
import { createTenantRepository } from './tenant-repository';

export interface FleetRepositoryDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days before telemetry samples and events expire (TTL). */
  readonly retention: { readonly telemetryDays: number; readonly eventDays: number };
}

/** The DocumentClient settings the repositories expect (optional fields may be undefined in inputs). */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createFleetRepositories(deps: FleetRepositoryDeps): FleetRepositories {
  const table = createFleetTable(deps);
  const entities = createFleetEntities(table);
  return {
    tenants: createTenantRepository(entities),
    sites: createSiteRepository(table, entities),
    chargers: createChargerRepository(table, entities),
    policies: createPolicyRepository(entities),
    telemetry: createTelemetryRepository(table, entities, deps.retention),
    sessions: createSessionRepository(entities),
    events: createEventRepository(table, entities, deps.retention),
    gateways: createGatewayRepository(entities),
    demandMonths: createDemandMonthRepository(entities),
    demandTariffs: createDemandTariffRepository(entities),
    clusterNodes: createClusterNodeRepository(entities),
    clusterHealth: createClusterHealthRepository(entities),
    clusterMajority: createClusterMajorityRepository(entities),
  };
}
