/** DynamoDB capacity tariffs, one item per site in the site's partition (`TARIFF#DEMAND`). */
import { EntityRepository } from 'dynamodb-toolbox';
import type { DemandTariffRepository } from '../ports/demand-tariff-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';

export function createDemandTariffRepository(entities: Pick<FleetEntities, 'demandTariff'>): DemandTariffRepository {
  const tariffs = entities.demandTariff.build(EntityRepository);
  return {
    get: (tenantId, siteId) =>
      dataOperation('read a capacity tariff', async () => {
        const { Item } = await tariffs.get({ tenantId, siteId });
        if (Item === undefined) return undefined;
        const { perKw, per, currency, updatedAt } = Item;
        return { tenantId, siteId, perKw, per, currency, updatedAt };
      }),
    put: (record) =>
      dataOperation('write a capacity tariff', async () => {
        await tariffs.put(record);
      }),
  };
}
