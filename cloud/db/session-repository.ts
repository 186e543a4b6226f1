/** DynamoDB charging sessions, in their site's partition ordered by start time. */
import { EntityRepository, type Condition, type FormattedItem } from 'dynamodb-toolbox';
import type { SessionRecord, SessionRepository } from '../ports/session-repository';
import { dataOperation, isConditionFailure } from './db-errors';
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

/** An open session's write goes through when no row exists, or the stored one is open with no more energy. */
const openSessionMovesForward = (energyWh: number): Condition<FleetEntities['session']> => ({
  or: [
    { attr: 'sessionId', exists: false },
    {
      and: [
        { attr: 'stoppedAt', exists: false },
        { attr: 'energyWh', lte: energyWh },
      ],
    },
  ],
});

export function createSessionRepository(entities: Pick<FleetEntities, 'session'>): SessionRepository {
  const sessions = entities.session.build(EntityRepository);
  return {
    put: (session) =>
      dataOperation('write a session', async () => {
        try {
          // In the condition, not read first: two writes of one session at the same moment cannot both pass.
          await sessions.put(
            session,
            session.stoppedAt === undefined ? { condition: openSessionMovesForward(session.energyWh) } : {},
          );
          return 'written';
        } catch (error) {
          if (isConditionFailure(error)) return 'superseded';
          throw error;
        }
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
