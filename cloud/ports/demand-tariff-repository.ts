/** Port: each site's capacity tariff as set in the console (docs/demand-control.md, "In the cloud"). */
import type { DemandTariff } from '../../shared/demand/demand-tariff';

export interface DemandTariffRecord extends DemandTariff {
  readonly tenantId: string;
  readonly siteId: string;
  /** When it was last set (epoch ms). */
  readonly updatedAt: number;
}

export interface DemandTariffRepository {
  /** The site's tariff; undefined when none was set. */
  get(tenantId: string, siteId: string): Promise<DemandTariffRecord | undefined>;
  /** Sets the site's tariff, replacing the one before. */
  put(record: DemandTariffRecord): Promise<void>;
}
