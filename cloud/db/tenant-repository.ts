/** DynamoDB tenants. */
import { EntityRepository } from 'dynamodb-toolbox';
import type { Tenant, TenantRepository } from '../ports/tenant-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';

export function createTenantRepository(entities: Pick<FleetEntities, 'tenant'>): TenantRepository {
  const tenants = entities.tenant.build(EntityRepository);
  return {
    get: (tenantId) =>
      dataOperation('read a tenant', async () => {
        const { Item } = await tenants.get({ tenantId });
        return (
          Item &&
          ({ id: Item.tenantId, name: Item.name, status: Item.status, createdAt: Item.createdAt } satisfies Tenant)
        );
      }),
    put: (tenant) =>
      dataOperation('write a tenant', async () => {
        await tenants.put({
          tenantId: tenant.id,
          name: tenant.name,
          status: tenant.status,
          createdAt: tenant.createdAt,
        });
      }),
  };
}
