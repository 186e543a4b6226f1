/** DynamoDB site events, in their site's partition ordered by time, expiring through TTL. */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import type { EventRepository, SiteEvent } from '../ports/event-repository';
import { batchWrite } from './batch-write';
import { dataOperation } from './db-errors';
import type { FleetEntities, FleetTable } from './fleet-table';
import { EVENT_PREFIX, sitePartition } from './keys';
import { expiresAtSeconds } from './telemetry-repository';
import { nextCursor, timePageKeys } from './time-page-query';

function toEvent(item: FormattedItem<FleetEntities['event']>): SiteEvent {
  const { tenantId, siteId, eventId, at, type, severity, message, reason, params, data } = item;
  return {
    tenantId,
    siteId,
    eventId,
    at,
    type,
    severity,
    message,
    ...(reason !== undefined ? { reason } : {}),
    ...(params !== undefined ? { params } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}

export function createEventRepository(
  table: FleetTable,
  entities: Pick<FleetEntities, 'event'>,
  retention: { eventDays: number },
): EventRepository {
  const events = entities.event.build(EntityRepository);
  return {
    put: (list) =>
      dataOperation('write events', () =>
        batchWrite(
          table,
          list.map((event) =>
            events.batchPut({
              ...event,
              data: event.data && { ...event.data },
              expiresAt: expiresAtSeconds(event.at, retention.eventDays),
            }),
          ),
        ),
      ),
    list: (tenantId, siteId, query) =>
      dataOperation('list events', async () => {
        const partition = sitePartition(tenantId, siteId);
        const { range, options } = timePageKeys(partition, EVENT_PREFIX, query);
        const { Items = [], LastEvaluatedKey } = await events.query({ partition, range }, options);
        const cursor = nextCursor(LastEvaluatedKey);
        return { items: Items.map(toEvent), ...(cursor !== undefined ? { cursor } : {}) };
      }),
  };
}
