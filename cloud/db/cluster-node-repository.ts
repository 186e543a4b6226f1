/** DynamoDB cluster nodes, one item per site and node in the site's partition (`CLUSTER#<nodeId>`). */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import type { ClusterNodeRecord, ClusterNodeRepository } from '../ports/cluster-node-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { CLUSTER_NODE_PREFIX, sitePartition } from './keys';
import { putNewestReport } from './newest-report';

function toRecord(item: FormattedItem<FleetEntities['clusterNode']>): ClusterNodeRecord {
  const { tenantId, siteId, nodeId, role, term, at, reason } = item;
  return { tenantId, siteId, nodeId, role, term, at, ...(reason !== undefined ? { reason } : {}) };
}

export function createClusterNodeRepository(entities: Pick<FleetEntities, 'clusterNode'>): ClusterNodeRepository {
  const nodes = entities.clusterNode.build(EntityRepository);
  return {
    report: (record) =>
      dataOperation('write a cluster node', () =>
        putNewestReport(record.at, (condition) => nodes.put(record, { condition })),
      ),
    list: (tenantId, siteId, maxNodes) =>
      dataOperation('list cluster nodes', async () => {
        const { Items = [] } = await nodes.query(
          { partition: sitePartition(tenantId, siteId), range: { beginsWith: CLUSTER_NODE_PREFIX } },
          { limit: maxNodes },
        );
        return Items.map(toRecord);
      }),
  };
}
