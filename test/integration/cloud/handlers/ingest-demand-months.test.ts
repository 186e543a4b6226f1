/**
 * Issue 18: a site with peak-demand control sends its month's peak and the uncontrolled estimate with each telemetry
 * sample; the ingest handler validates them with the shared schema and keeps one item per site and month in
 * DynamoDB Local, each peak at the highest a sample carried (a replay stores nothing twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryBody } from '../../../../shared/sync/sync-messages';
import { handler as ingest } from '../../../../cloud/handlers/ingest';
import { startLocalFleetTable, type LocalFleetTable } from '../support/local-fleet-table';
import { telemetryMessage } from '../../../unit/cloud/ingest/site-batches';
import { queuedTelemetry, seedSite, useLocalTableEnvironment } from './handler-fixtures';

const THING = 'amp-site-demand-abc';
const AT = Date.UTC(2026, 11, 3, 9, 0, 0);
let local: LocalFleetTable;

beforeAll(async () => {
  local = await startLocalFleetTable('ampshare-ingest-demand');
  useLocalTableEnvironment(local);
  await seedSite(local, { tenantId: 'acme', siteId: 'site-1', thingName: THING, at: AT });
});
afterAll(() => local.stop());

const sample = (messageId: string, at: number, demand: unknown) =>
  telemetryMessage('site-1', messageId, at, { demand } as Partial<TelemetryBody>);
const queued = (...messages: readonly { readonly messageId: string }[]) => queuedTelemetry(THING, ...messages);

describe('ingest of peak-demand months', () => {
  it("should keep the month's highest peak and estimate from the samples, once per month", async () => {
    // Arrange
    const first = { month: '2026-12', periodMinutes: 15, peakKw: 11, peakAt: AT - 900_000, uncontrolledPeakKw: 19 };
    const higher = { ...first, peakKw: 12.5, peakAt: AT, uncontrolledPeakKw: 24 };
    const afterRestart = { ...higher, uncontrolledPeakKw: 0 };

    // Act: two samples in one batch, then a sample of a restarted agent, then the first batch again
    await ingest(queued(sample('msg-demand-0001', AT, first), sample('msg-demand-0002', AT + 60_000, higher)));
    await ingest(queued(sample('msg-demand-0003', AT + 120_000, afterRestart)));
    await ingest(queued(sample('msg-demand-0001', AT, first), sample('msg-demand-0002', AT + 60_000, higher)));
    const months = await local.repositories.demandMonths.list('acme', 'site-1', 13);

    // Assert
    expect(months).toEqual([
      {
        tenantId: 'acme',
        siteId: 'site-1',
        month: '2026-12',
        periodMinutes: 15,
        peakKw: 12.5,
        peakAt: AT,
        uncontrolledPeakKw: 24,
        reportedAt: AT + 120_000,
      },
    ]);
  });

  it('should refuse a sample whose peak-demand report breaks the shared schema, and store nothing of it', async () => {
    await ingest(
      queued(sample('msg-demand-0004', AT, { month: '2027-1', periodMinutes: 15, peakKw: 1, uncontrolledPeakKw: 2 })),
    );
    expect((await local.repositories.demandMonths.list('acme', 'site-1', 13)).map((m) => m.month)).toEqual(['2026-12']);
  });
});
