/** All data ports of the cloud, as one dependency. */
import type { ChargerRepository } from './charger-repository';
import type { ClusterHealthRepository } from './cluster-health-repository';
import type { ClusterMajorityRepository } from './cluster-majority-repository';
import type { ClusterNodeRepository } from './cluster-node-repository';
import type { DemandMonthRepository } from './demand-month-repository';
import type { DemandTariffRepository } from './demand-tariff-repository';
import type { EventRepository } from './event-repository';
import type { GatewayRepository } from './gateway-repository';
import type { PolicyRepository } from './policy-repository';
import type { SessionRepository } from './session-repository';
import type { SiteRepository } from './site-repository';
import type { TelemetryRepository } from './telemetry-repository';
import type { TenantRepository } from './tenant-repository';

export interface FleetRepositories {
  readonly tenants: TenantRepository;
  readonly sites: SiteRepository;
  readonly chargers: ChargerRepository;
  readonly policies: PolicyRepository;
  readonly telemetry: TelemetryRepository;
  readonly sessions: SessionRepository;
  readonly events: EventRepository;
  readonly gateways: GatewayRepository;
  readonly demandMonths: DemandMonthRepository;
  readonly demandTariffs: DemandTariffRepository;
  readonly clusterNodes: ClusterNodeRepository;
  readonly clusterHealth: ClusterHealthRepository;
  readonly clusterMajority: ClusterMajorityRepository;
}
