/** Port: registrations of site gateways (one IoT thing and certificate each). */

export type GatewayStatus = 'active' | 'revoked';

export interface GatewayRegistration {
  readonly tenantId: string;
  readonly siteId: string;
  readonly thingName: string;
  /** The credential's id at the provisioner (IoT certificate id, or the local broker user). */
  readonly credentialId: string;
  readonly status: GatewayStatus;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

export interface GatewayRepository {
  /** Fails with `resource.conflict` when the thing name is already registered. */
  create(registration: GatewayRegistration): Promise<void>;
  get(tenantId: string, siteId: string, thingName: string): Promise<GatewayRegistration | undefined>;
  listForSite(tenantId: string, siteId: string): Promise<GatewayRegistration[]>;
  /** The registration of a thing, for handlers that only know the thing name (ingest, shadow sync). */
  findByThingName(thingName: string): Promise<GatewayRegistration | undefined>;
  markRevoked(tenantId: string, siteId: string, thingName: string, now: number): Promise<void>;
}
