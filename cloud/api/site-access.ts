/** Loads a caller's site (a site of another tenant is simply not found) and assembles the shared site model. */
import { AppError } from '../../shared/errors';
import type { Charger, Site } from '../../shared/site/site-schema';
import type { FleetRepositories } from '../ports/fleet-repositories';
import type { SiteRecord } from '../ports/site-repository';
import type { Caller } from './app-deps';

export async function requireSite(
  repositories: FleetRepositories,
  caller: Caller,
  siteId: string,
): Promise<SiteRecord> {
  const record = await repositories.sites.get(caller.tenantId, siteId);
  if (!record) throw new AppError('resource.notFound', `site "${siteId}" not found`);
  return record;
}

export function assembleSite(record: SiteRecord, chargers: readonly Charger[]): Site {
  return { ...record.config, chargers: [...chargers] };
}

/** The site with its chargers, as the allocator and the console see it. */
export async function loadFullSite(
  repositories: FleetRepositories,
  caller: Caller,
  siteId: string,
): Promise<{ record: SiteRecord; site: Site }> {
  const record = await requireSite(repositories, caller, siteId);
  const chargers = await repositories.chargers.list(caller.tenantId, siteId);
  return { record, site: assembleSite(record, chargers) };
}

export function siteSummary(record: SiteRecord) {
  return {
    id: record.config.id,
    name: record.config.name ?? null,
    gatewayThingName: record.gatewayThingName ?? null,
    connectivity: { state: record.connectivity.state, since: record.connectivity.since },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function siteView(record: SiteRecord, site: Site) {
  return { ...siteSummary(record), site };
}
