/** DynamoDB chargers: one item per charger in its site's partition. */
import { EntityRepository } from 'dynamodb-toolbox';
import { batchWrite } from './batch-write';
import type { ChargerRepository } from '../ports/charger-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities, FleetTable } from './fleet-table';
import { CHARGER_PREFIX, sitePartition } from './keys';

export function createChargerRepository(
  table: FleetTable,
  entities: Pick<FleetEntities, 'charger'>,
): ChargerRepository {
  const chargers = entities.charger.build(EntityRepository);
  return {
    list: (tenantId, siteId) =>
      dataOperation('list chargers', async () => {
        const { Items = [] } = await chargers.query(
          { partition: sitePartition(tenantId, siteId), range: { beginsWith: CHARGER_PREFIX } },
          { maxPages: Infinity },
        );
        return Items.map((item) => item.charger);
      }),
    put: (tenantId, siteId, list, now) =>
      dataOperation('write chargers', async () => {
        await batchWrite(
          table,
          list.map((charger) =>
            chargers.batchPut({ tenantId, siteId, chargerId: charger.id, charger, updatedAt: now }),
          ),
        );
      }),
    delete: (tenantId, siteId, chargerId) =>
      dataOperation('delete a charger', async () => {
        const { Attributes } = await chargers.delete({ tenantId, siteId, chargerId }, { returnValues: 'ALL_OLD' });
        return Attributes !== undefined;
      }),
  };
}
