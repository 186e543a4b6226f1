/** DynamoDB two-gateway majority reports, one item per site and node in the site's partition (`MAJORITY#<nodeId>`). */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import type { ClusterMajorityRecord, ClusterMajorityRepository } from '../ports/cluster-majority-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { MAJORITY_PREFIX, sitePartition } from './keys';
import { putNewestReport } from './newest-report';

function toRecord(item: FormattedItem<FleetEntities['clusterMajority']>): ClusterMajorityRecord {
  const { tenantId, siteId, nodeId, mayExceedFailSafe, countedChargers, siteChargers, at } = item;
  return { tenantId, siteId, nodeId, mayExceedFailSafe, countedChargers, siteChargers, at };
}

export function createClusterMajorityRepository(
  entities: Pick<FleetEntities, 'clusterMajority'>,
): ClusterMajorityRepository {
  const nodes = entities.clusterMajority.build(EntityRepository);
  return {
    report: (record) =>
      dataOperation('write a cluster majority', () =>
        putNewestReport(record.at, (condition) => nodes.put(record, { condition })),
      ),
    list: (tenantId, siteId, maxNodes) =>
      dataOperation('list cluster majorities', async () => {
        const { Items = [] } = await nodes.query(
          { partition: sitePartition(tenantId, siteId), range: { beginsWith: MAJORITY_PREFIX } },
          { limit: maxNodes },
        );
        return Items.map(toRecord);
      }),
  };
}
