/** Port: sites of a tenant, with their configuration (without chargers), gateway and connectivity. */
import type { Site } from '../../shared/site/site-schema';

/** A site's configuration as stored: the shared site model without its chargers (those are their own items). */
export type SiteConfig = Omit<Site, 'chargers'>;

export type ConnectivityState = 'unknown' | 'online' | 'offline';

export interface Connectivity {
  readonly state: ConnectivityState;
  /** Epoch ms of the last change. */
  readonly since: number;
  /** Set when the state came from the broker: the gateway whose connection it describes, and where its event stands. */
  readonly source?: PresenceSource;
}

export interface PresenceSource {
  readonly thingName: string;
  /** Orders one thing's lifecycle events: a higher value is later (see cloud/ingest/record-presence.ts). */
  readonly order: number;
}

/** A gateway's connect or disconnect as the broker reported it. */
export interface PresenceChange {
  readonly state: 'online' | 'offline';
  /** Epoch ms of the event. */
  readonly at: number;
  readonly source: PresenceSource;
}

export interface SiteRecord {
  readonly tenantId: string;
  readonly config: SiteConfig;
  /** The IoT thing of the site's active gateway, if one is registered. */
  readonly gatewayThingName?: string;
  readonly connectivity: Connectivity;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SitePage {
  readonly items: readonly SiteRecord[];
  /** The last site id of this page when more may follow: pass it back as `after`. */
  readonly lastSiteId?: string;
}

export interface SiteRepository {
  /** Fails with `resource.conflict` when the tenant already has a site with this id. */
  create(record: SiteRecord): Promise<void>;
  get(tenantId: string, siteId: string): Promise<SiteRecord | undefined>;
  /** Sites in id order, after `after` (exclusive). */
  list(tenantId: string, page: { limit: number; after?: string }): Promise<SitePage>;
  /** Replaces the configuration; fails with `resource.notFound` when the site does not exist. */
  updateConfig(tenantId: string, config: SiteConfig, now: number): Promise<SiteRecord>;
  /** Records (or clears, with null) the active gateway's thing name. */
  setGateway(tenantId: string, siteId: string, thingName: string | null, now: number): Promise<void>;
  /** Replaces the connectivity (e.g. `unknown` once the gateway is revoked). */
  setConnectivity(tenantId: string, siteId: string, connectivity: Connectivity): Promise<void>;
  /**
   * Records a gateway's connect or disconnect, only while that thing is the site's gateway and only if the change is
   * later than the one recorded for it (events arrive out of order and twice). False when it changed nothing.
   */
  recordPresence(tenantId: string, siteId: string, change: PresenceChange): Promise<boolean>;
  /** Deletes the site and everything in its partition (chargers, policies, sessions, events, gateways); telemetry expires by TTL. */
  delete(tenantId: string, siteId: string): Promise<void>;
}
