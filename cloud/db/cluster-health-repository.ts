/** DynamoDB cluster node health, one item per site and node in the site's partition (`NODEHEALTH#<nodeId>`). */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import { ClusterFiguresSchema } from '../../shared/sync/cluster-figures';
import type { ClusterHealthRecord, ClusterHealthRepository } from '../ports/cluster-health-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { NODE_HEALTH_PREFIX, sitePartition } from './keys';
import { putNewestReport } from './newest-report';

/** The stored figures, read back through their schema: an item the schema refuses is no node's health. */
function toRecord(item: FormattedItem<FleetEntities['clusterHealth']>): ClusterHealthRecord[] {
  const { tenantId, siteId, nodeId, at, figures } = item;
  const read = ClusterFiguresSchema.safeParse(figures);
  return read.success ? [{ tenantId, siteId, nodeId, at, figures: read.data }] : [];
}

export function createClusterHealthRepository(entities: Pick<FleetEntities, 'clusterHealth'>): ClusterHealthRepository {
  const nodes = entities.clusterHealth.build(EntityRepository);
  return {
    report: (record) =>
      dataOperation('write a cluster node health', () =>
        putNewestReport(record.at, (condition) => nodes.put(record, { condition })),
      ),
    list: (tenantId, siteId, maxNodes) =>
      dataOperation('list cluster node health', async () => {
        const { Items = [] } = await nodes.query(
          { partition: sitePartition(tenantId, siteId), range: { beginsWith: NODE_HEALTH_PREFIX } },
          { limit: maxNodes },
        );
        return Items.flatMap(toRecord);
      }),
  };
}
