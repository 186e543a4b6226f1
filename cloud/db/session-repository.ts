/** DynamoDB charging sessions, in their site's partition ordered by start time. */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import type { SessionRecord, SessionRepository } from '../ports/session-repository';
import { dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { SESSION_PREFIX, sitePartition } from './keys';
import { nextCursor, timePageKeys } from './time-page-query';

function toRecord(item: FormattedItem<FleetEntities['session']>): SessionRecord {
  const { tenantId, siteId, sessionId, connector, idTag, startedAt, stoppedAt, energyWh } = item;
  return {
    tenantId,
    siteId,
    sessionId,
    connector: connector,
    startedAt,
    energyWh,
    ...(idTag !== undefined ? { idTag } : {}),
    ...(stoppedAt !== undefined ? { stoppedAt } : {}),
  };
}

export function createSessionRepository(entities: Pick<FleetEntities, 'session'>): SessionRepository {
  const sessions = entities.session.build(EntityRepository);
  return {
    put: (session) =>
      dataOperation('write a session', async () => {
        await sessions.put(session);
      }),
    list: (tenantId, siteId, query) =>
      dataOperation('list sessions', async () => {
        const partition = sitePartition(tenantId, siteId);
        const { range, options } = timePageKeys(partition, SESSION_PREFIX, query);
        const { Items = [], LastEvaluatedKey } = await sessions.query({ partition, range }, options);
        const cursor = nextCursor(LastEvaluatedKey);
        return { items: Items.map(toRecord), ...(cursor !== undefined ? { cursor } : {}) };
      }),
  };
}
