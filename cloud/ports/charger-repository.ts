/** Port: the chargers of a site, one item each (the shared charger model). */
import type { Charger } from '../../shared/site/site-schema';

export interface ChargerRepository {
  /** Every charger of the site, in id order. */
  list(tenantId: string, siteId: string): Promise<Charger[]>;
  /** Creates or replaces chargers. */
  put(tenantId: string, siteId: string, chargers: readonly Charger[], now: number): Promise<void>;
  /** Returns false when there was no such charger. */
  delete(tenantId: string, siteId: string, chargerId: string): Promise<boolean>;
}
