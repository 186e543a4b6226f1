/** DynamoDB gateway registrations, in their site's partition, with GSI1 mapping a thing name back to its site. */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import type { GatewayRegistration, GatewayRepository } from '../ports/gateway-repository';
import { conditionalWrite, dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { GATEWAY_PREFIX, gatewayIndexKey, sitePartition } from './keys';

function toRegistration(item: FormattedItem<FleetEntities['gateway']>): GatewayRegistration {
  const { tenantId, siteId, thingName, credentialId, status, createdAt, revokedAt } = item;
  return {
    tenantId,
    siteId,
    thingName,
    credentialId,
    status,
    createdAt,
    ...(revokedAt !== undefined ? { revokedAt } : {}),
  };
}

export function createGatewayRepository(entities: Pick<FleetEntities, 'gateway'>): GatewayRepository {
  const gateways = entities.gateway.build(EntityRepository);
  return {
    create: (registration) =>
      conditionalWrite('register a gateway', `gateway "${registration.thingName}" is already registered`, async () => {
        await gateways.put(
          { ...registration, ...gatewayIndexKey(registration.thingName) },
          { condition: { attr: 'tenantId', exists: false } },
        );
      }),
    get: (tenantId, siteId, thingName) =>
      dataOperation('read a gateway', async () => {
        const { Item } = await gateways.get({ tenantId, siteId, thingName });
        return Item && toRegistration(Item);
      }),
    listForSite: (tenantId, siteId) =>
      dataOperation('list gateways', async () => {
        const { Items = [] } = await gateways.query(
          { partition: sitePartition(tenantId, siteId), range: { beginsWith: GATEWAY_PREFIX } },
          { maxPages: Infinity },
        );
        return Items.map(toRegistration);
      }),
    findByThingName: (thingName) =>
      dataOperation('find a gateway', async () => {
        const { Items = [] } = await gateways.query({ index: 'GSI1', partition: gatewayIndexKey(thingName).GSI1PK });
        return Items[0] && toRegistration(Items[0]);
      }),
    markRevoked: (tenantId, siteId, thingName, now) =>
      conditionalWrite('revoke a gateway', `gateway "${thingName}" not found`, async () => {
        await gateways.update(
          { tenantId, siteId, thingName, status: 'revoked', revokedAt: now },
          { condition: { attr: 'tenantId', exists: true } },
        );
      }),
  };
}
