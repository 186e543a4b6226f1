/** Port: the tenants (operator organisations) that own sites. */

export type TenantStatus = 'active' | 'disabled';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly status: TenantStatus;
  /** Epoch ms. */
  readonly createdAt: number;
}

export interface TenantRepository {
  get(tenantId: string): Promise<Tenant | undefined>;
  /** Creates or replaces the tenant. */
  put(tenant: Tenant): Promise<void>;
}
