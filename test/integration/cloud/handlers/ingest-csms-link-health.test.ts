/**
 * A site in front of an operator's CSMS sends its CSMS link health with each telemetry sample: the ingest handler
 * validates it with the shared schema, stores it, and the telemetry the console reads carries the latest per bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryBody } from '../../../../shared/sync/sync-messages';
import { handler as ingest } from '../../../../cloud/handlers/ingest';
import { downsampleTelemetry } from '../../../../cloud/api/telemetry-downsample';
import { startLocalFleetTable, type LocalFleetTable } from '../support/local-fleet-table';
import { telemetryMessage } from '../../../unit/cloud/ingest/site-batches';
import { queuedTelemetry, seedSite, useLocalTableEnvironment } from './handler-fixtures';

const THING = 'amp-site-csms-abc';
const AT = Date.UTC(2026, 11, 3, 9, 0, 0);
let local: LocalFleetTable;

beforeAll(async () => {
  local = await startLocalFleetTable('ampshare-ingest-csms');
  useLocalTableEnvironment(local);
  await seedSite(local, { tenantId: 'acme', siteId: 'site-1', thingName: THING, at: AT });
});
afterAll(() => local.stop());

const sample = (messageId: string, at: number, csms: unknown) =>
  telemetryMessage('site-1', messageId, at, { csms } as Partial<TelemetryBody>);
const queued = (...messages: readonly { readonly messageId: string }[]) => queuedTelemetry(THING, ...messages);

describe('ingest of the CSMS link health', () => {
  it('should store the CSMS link health of a sample, and give the latest per bucket to the console', async () => {
    // Arrange
    const away = { chargers: 32, connected: 0, backlogMessages: 120, oldestQueuedAt: AT - 600_000, setAside: 1 };
    const back = { chargers: 32, connected: 32, backlogMessages: 0, setAside: 1 };

    // Act
    await ingest(queued(sample('msg-csms-0001', AT, away), sample('msg-csms-0002', AT + 60_000, back)));
    const stored = await local.repositories.telemetry.range('acme', 'site-1', {
      from: AT,
      to: AT + 120_000,
      maxSamples: 10,
    });
    const points = downsampleTelemetry(stored, { from: AT, to: AT + 120_000, points: 1 });

    // Assert
    expect(stored.map((s) => s.csms)).toEqual([away, back]);
    expect(points.map((p) => p.csms)).toEqual([back]);
  });

  it('should refuse a sample whose CSMS link health breaks the shared schema, and store nothing of it', async () => {
    // Act
    await ingest(queued(sample('msg-csms-0003', AT + 200_000, { chargers: 2, connected: -1, backlogMessages: 0 })));
    const stored = await local.repositories.telemetry.range('acme', 'site-1', {
      from: AT + 200_000,
      to: AT + 200_001,
      maxSamples: 10,
    });

    // Assert
    expect(stored).toEqual([]);
  });
});
