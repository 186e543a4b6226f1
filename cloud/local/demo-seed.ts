/**
 * The demo tenant and its site, the one `npm start` runs: the `site` section of config/demo-site.json (idempotent: an
 * existing site is kept as it is).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { SiteSchema, type SiteInput } from '../../shared/site/site-schema';
import type { FleetRepositories } from '../ports/fleet-repositories';

export const DEMO_TENANT_ID = 'demo';

const DEMO_CONFIG = path.resolve(import.meta.dirname, '../../config/demo-site.json');

/** The demo agent's site as the cloud keeps it. */
function demoSite(): SiteInput {
  return (JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as { site: SiteInput }).site;
}

export async function seedDemoFleet(
  repositories: Pick<FleetRepositories, 'tenants' | 'sites' | 'chargers'>,
  now: number,
): Promise<{ tenantId: string; siteId: string }> {
  await repositories.tenants.put({ id: DEMO_TENANT_ID, name: 'Demo operator', status: 'active', createdAt: now });
  const { chargers, ...config } = SiteSchema.parse(demoSite());
  try {
    await repositories.sites.create({
      tenantId: DEMO_TENANT_ID,
      config,
      connectivity: { state: 'unknown', since: now },
      createdAt: now,
      updatedAt: now,
    });
    await repositories.chargers.put(DEMO_TENANT_ID, config.id, chargers, now);
  } catch (error) {
    if (!AppError.match(error, 'resource.conflict')) throw error;
  }
  return { tenantId: DEMO_TENANT_ID, siteId: config.id };
}
