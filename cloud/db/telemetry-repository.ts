/** DynamoDB telemetry: one partition per site and UTC day, items expire through TTL after the retention period. */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import type { PhaseAmps } from '../../shared/units';
import type { TelemetryRepository, TelemetrySample } from '../ports/telemetry-repository';
import { batchWrite } from './batch-write';
import { dataOperation } from './db-errors';
import type { FleetEntities, FleetTable } from './fleet-table';
import { padTime, telemetryDaysBetween, telemetryPartition } from './keys';

export interface TelemetryRetention {
  /** Samples are deleted by TTL this many days after they were measured. */
  readonly telemetryDays: number;
}

const asPhaseAmps = (values: number[] | undefined): PhaseAmps | undefined =>
  values && values.length === 3 ? [values[0] ?? 0, values[1] ?? 0, values[2] ?? 0] : undefined;

function toSample(item: FormattedItem<FleetEntities['telemetry']>): TelemetrySample {
  const gridAmps = asPhaseAmps(item.gridAmps);
  const allocatedAmps = asPhaseAmps(item.allocatedAmps);
  return {
    tenantId: item.tenantId,
    siteId: item.siteId,
    at: item.at,
    messageId: item.messageId,
    ...(gridAmps ? { gridAmps } : {}),
    ...(allocatedAmps ? { allocatedAmps } : {}),
    ...(item.chargingWatts !== undefined ? { chargingWatts: item.chargingWatts } : {}),
    ...(item.activeConnectors !== undefined ? { activeConnectors: item.activeConnectors } : {}),
    ...(item.csms !== undefined ? { csms: item.csms } : {}),
  };
}

/** TTL value (epoch seconds) of something measured at `at` (epoch ms). */
export const expiresAtSeconds = (at: number, days: number) => Math.floor(at / 1000) + Math.round(days * 86_400);

export function createTelemetryRepository(
  table: FleetTable,
  entities: Pick<FleetEntities, 'telemetry'>,
  retention: TelemetryRetention,
): TelemetryRepository {
  const telemetry = entities.telemetry.build(EntityRepository);
  return {
    put: (samples) =>
      dataOperation('write telemetry', () =>
        batchWrite(
          table,
          samples.map((sample) =>
            telemetry.batchPut({
              ...sample,
              gridAmps: sample.gridAmps && [...sample.gridAmps],
              allocatedAmps: sample.allocatedAmps && [...sample.allocatedAmps],
              expiresAt: expiresAtSeconds(sample.at, retention.telemetryDays),
            }),
          ),
        ),
      ),

    range: (tenantId, siteId, { from, to, maxSamples }) =>
      dataOperation('read telemetry', async () => {
        const samples: TelemetrySample[] = [];
        for (const day of telemetryDaysBetween(from, to)) {
          let startKey: Record<string, unknown> | undefined;
          do {
            const { Items = [], LastEvaluatedKey } = await telemetry.query(
              {
                partition: telemetryPartition(tenantId, siteId, day),
                range: { between: [padTime(from), `${padTime(to - 1)}#~`] },
              },
              {
                limit: Math.min(1000, maxSamples - samples.length),
                ...(startKey ? { exclusiveStartKey: startKey } : {}),
              },
            );
            samples.push(...Items.map(toSample));
            startKey = LastEvaluatedKey;
          } while (startKey && samples.length < maxSamples);
          if (samples.length >= maxSamples) break;
        }
        return samples;
      }),
  };
}
