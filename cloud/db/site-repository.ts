/** DynamoDB sites: one item per site in its tenant's partition; deleting a site also clears its own partition. */
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { $remove, $set, EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import { AppError } from '../../shared/errors';
import type { SiteRecord, SiteRepository } from '../ports/site-repository';
import { conditionalWrite, dataOperation } from './db-errors';
import type { FleetEntities, FleetTable } from './fleet-table';
import { SITE_PREFIX, siteKey, sitePartition, tenantPartition } from './keys';

type SiteItem = FormattedItem<FleetEntities['site']>;

function toRecord(item: SiteItem): SiteRecord {
  return {
    tenantId: item.tenantId,
    config: item.config,
    ...(item.gatewayThingName !== undefined ? { gatewayThingName: item.gatewayThingName } : {}),
    connectivity: {
      state: item.connectivity.state,
      since: item.connectivity.since,
      ...(item.connectivity.source ? { source: item.connectivity.source } : {}),
    },
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

const notFound = (siteId: string) => new AppError('resource.notFound', `site "${siteId}" not found`);
const EXISTS = { attr: 'tenantId', exists: true } as const;

export function createSiteRepository(table: FleetTable, entities: Pick<FleetEntities, 'site'>): SiteRepository {
  const sites = entities.site.build(EntityRepository);

  return {
    create: (record) =>
      conditionalWrite('create a site', `site "${record.config.id}" already exists`, async () => {
        await sites.put({ ...record, siteId: record.config.id }, { condition: { attr: 'tenantId', exists: false } });
      }),

    get: (tenantId, siteId) =>
      dataOperation('read a site', async () => {
        const { Item } = await sites.get({ tenantId, siteId });
        return Item && toRecord(Item);
      }),

    list: (tenantId, { limit, after }) =>
      dataOperation('list sites', async () => {
        const { Items = [], LastEvaluatedKey } = await sites.query(
          { partition: tenantPartition(tenantId), range: { beginsWith: SITE_PREFIX } },
          { limit, ...(after !== undefined ? { exclusiveStartKey: siteKey(tenantId, after) } : {}) },
        );
        const items = Items.map(toRecord);
        const last = items.at(-1);
        return LastEvaluatedKey && last ? { items, lastSiteId: last.config.id } : { items };
      }),

    updateConfig: async (tenantId, config, now) => {
      const { Attributes } = await conditionalWrite('update a site', `site "${config.id}" not found`, () =>
        sites.update(
          { tenantId, siteId: config.id, config, updatedAt: now },
          { condition: EXISTS, returnValues: 'ALL_NEW' },
        ),
      ).catch((error: unknown) => {
        throw AppError.match(error, 'resource.conflict') ? notFound(config.id) : error;
      });
      if (!Attributes) throw notFound(config.id);
      return toRecord(Attributes);
    },

    setGateway: (tenantId, siteId, thingName, now) =>
      conditionalWrite('record a site gateway', `site "${siteId}" not found`, async () => {
        await sites.update(
          { tenantId, siteId, gatewayThingName: thingName ?? $remove(), updatedAt: now },
          { condition: EXISTS },
        );
      }),

    recordPresence: async (tenantId, siteId, { state, at, source }) => {
      const { thingName, order } = source;
      try {
        await conditionalWrite('record a gateway connect or disconnect', 'older or not the site gateway', () =>
          sites.update(
            { tenantId, siteId, connectivity: $set({ state, since: at, source: { thingName, order } }) },
            {
              condition: {
                and: [
                  { attr: 'gatewayThingName', eq: thingName },
                  {
                    or: [
                      { attr: 'connectivity.source', exists: false },
                      { attr: 'connectivity.source.thingName', ne: thingName },
                      { attr: 'connectivity.source.order', lt: order },
                    ],
                  },
                ],
              },
            },
          ),
        );
        return true;
      } catch (error) {
        if (AppError.match(error, 'resource.conflict')) return false;
        throw error;
      }
    },

    setConnectivity: (tenantId, siteId, connectivity) =>
      conditionalWrite('record site connectivity', `site "${siteId}" not found`, async () => {
        await sites.update({ tenantId, siteId, connectivity: $set(connectivity) }, { condition: EXISTS });
      }),

    delete: (tenantId, siteId) =>
      dataOperation('delete a site', async () => {
        await deletePartition(table.getDocumentClient(), table.getName(), sitePartition(tenantId, siteId));
        await sites.delete({ tenantId, siteId });
      }),
  };
}

/** Deletes every item of one partition, page by page, retrying unprocessed writes a bounded number of times. */
async function deletePartition(client: DynamoDBDocumentClient, tableName: string, partition: string): Promise<void> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ProjectionExpression: 'PK, SK',
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({ PK: item.PK as string, SK: item.SK as string }));
    for (let i = 0; i < keys.length; i += 25) {
      let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= 5) throw new Error(`could not delete ${requests.length} items of ${partition}`);
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
