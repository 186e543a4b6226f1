/** The demo tenant and site the local stack starts with (idempotent: an existing site is kept as it is). */
import { AppError } from '../../shared/errors';
import { SiteSchema, type SiteInput } from '../../shared/site/site-schema';
import type { FleetRepositories } from '../ports/fleet-repositories';

export const DEMO_TENANT_ID = 'demo';
export const DEMO_SITE_ID = 'demo-site';

/** A small office site: 63 A main fuse, two 3-phase 32 A chargers. */
export const DEMO_SITE: SiteInput = {
  $schemaVersion: 1,
  id: DEMO_SITE_ID,
  name: 'Demo office',
  circuits: [{ id: 'main', parent: null, fuseAmps: 63 }],
  chargers: [
    { id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 },
    { id: 'CP-2', circuit: 'main', phases: 3, maxAmps: 32 },
  ],
};

export async function seedDemoFleet(repositories: Pick<FleetRepositories, 'tenants' | 'sites' | 'chargers'>, now: number): Promise<{ tenantId: string; siteId: string }> {
  await repositories.tenants.put({ id: DEMO_TENANT_ID, name: 'Demo operator', status: 'active', createdAt: now });
  const { chargers, ...config } = SiteSchema.parse(DEMO_SITE);
  try {
    await repositories.sites.create({ tenantId: DEMO_TENANT_ID, config, connectivity: { state: 'unknown', since: now }, createdAt: now, updatedAt: now });
    await repositories.chargers.put(DEMO_TENANT_ID, DEMO_SITE_ID, chargers, now);
  } catch (error) {
    if (!AppError.match(error, 'resource.conflict')) throw error;
  }
  return { tenantId: DEMO_TENANT_ID, siteId: DEMO_SITE_ID };
}
