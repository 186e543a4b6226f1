/** DynamoDB peak-demand months, one item per site and month in the site's partition (`DEMAND#<month>`). */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import { AppError } from '../../shared/errors';
import type { DemandMonthRecord, DemandMonthRepository } from '../ports/demand-month-repository';
import { dataOperation, isConditionFailure } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { DEMAND_MONTH_PREFIX, sitePartition } from './keys';

/** Writes of one month racing each other: each try reads again, so a few suffice. */
const MAX_TRIES = 4;

function toRecord(item: FormattedItem<FleetEntities['demandMonth']>): DemandMonthRecord {
  const { tenantId, siteId, month, periodMinutes, peakKw, peakAt, uncontrolledPeakKw, reportedAt } = item;
  return {
    tenantId,
    siteId,
    month,
    periodMinutes,
    peakKw,
    ...(peakAt !== undefined ? { peakAt } : {}),
    uncontrolledPeakKw,
    reportedAt,
  };
}

/** The stored month with a report merged in: each peak the highest, the report time the latest. */
function merged(stored: DemandMonthRecord | undefined, report: DemandMonthRecord): DemandMonthRecord {
  if (stored === undefined) return report;
  const peak = report.peakKw > stored.peakKw ? report : stored;
  return {
    ...report,
    peakKw: peak.peakKw,
    ...(peak.peakAt !== undefined ? { peakAt: peak.peakAt } : {}),
    uncontrolledPeakKw: Math.max(stored.uncontrolledPeakKw, report.uncontrolledPeakKw),
    reportedAt: Math.max(stored.reportedAt, report.reportedAt),
  };
}

export function createDemandMonthRepository(entities: Pick<FleetEntities, 'demandMonth'>): DemandMonthRepository {
  const months = entities.demandMonth.build(EntityRepository);
  return {
    report: (record) =>
      dataOperation('write a peak-demand month', async () => {
        const key = { tenantId: record.tenantId, siteId: record.siteId, month: record.month };
        for (let tries = 0; tries < MAX_TRIES; tries++) {
          const { Item } = await months.get(key, { consistent: true });
          const revision = Item?.revision ?? 0;
          try {
            await months.put(
              { ...merged(Item && toRecord(Item), record), revision: revision + 1 },
              { condition: Item ? { attr: 'revision', eq: revision } : { attr: 'month', exists: false } },
            );
            return;
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
          }
        }
        throw new AppError('internal', 'peak-demand month kept changing while it was written');
      }),
    list: (tenantId, siteId, maxMonths) =>
      dataOperation('list peak-demand months', async () => {
        const { Items = [] } = await months.query(
          { partition: sitePartition(tenantId, siteId), range: { beginsWith: DEMAND_MONTH_PREFIX } },
          { reverse: true, limit: maxMonths },
        );
        return Items.map(toRecord).reverse();
      }),
  };
}
