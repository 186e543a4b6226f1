/**
 * Issue 18: each site's peak-demand months in the cloud, on DynamoDB Local: reports merge into one item per site and
 * month keeping each peak's highest value (a restarted agent reports a lower estimate), the API answers them with the
 * kW avoided and the money saved at a tariff per kW, and a tenant never sees another tenant's months.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemandMonthRecord } from '../../../../cloud/ports/demand-month-repository';
import { siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';

interface DemandMonthsBody {
  siteId: string;
  tariff: { perKw: number; per: string } | null;
  months: Array<{ month: string; peakKw: number; uncontrolledPeakKw: number; avoidedKw: number; saved: number | null }>;
}

const report = (tenantId: string, siteId: string, over: Partial<DemandMonthRecord>): DemandMonthRecord => ({
  tenantId,
  siteId,
  month: '2025-03',
  periodMinutes: 15,
  peakKw: 10,
  uncontrolledPeakKw: 20,
  reportedAt: NOW,
  ...over,
});

describe('peak-demand months in the cloud', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('depot') });
    await h.request('/sites', { method: 'POST', tenant: 'bravo', body: siteInput('depot') });
    const months = h.local.repositories.demandMonths;
    await months.report(report('alpha', 'depot', { month: '2025-02', peakKw: 30, uncontrolledPeakKw: 42 }));
    await months.report(report('alpha', 'depot', { peakKw: 12.5, peakAt: NOW - 3_600_000, uncontrolledPeakKw: 30 }));
    // A later report from an agent that restarted: its estimate counts again from then, its peak is the same.
    await months.report(report('alpha', 'depot', { peakKw: 12.5, uncontrolledPeakKw: 18, reportedAt: NOW + 60_000 }));
    await months.report(report('bravo', 'depot', { peakKw: 99, uncontrolledPeakKw: 100 }));
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should keep the highest of each peak per month and answer the months oldest first with the money saved', async () => {
    // Act
    const response = await h.request('/sites/depot/demand-months?tariff=48&per=year', { tenant: 'alpha' });
    const body = await json<DemandMonthsBody>(response);

    // Assert: 48 per kW and year is 4 per kW and month
    expect(response.status).toBe(200);
    expect(body.tariff).toEqual({ perKw: 48, per: 'year' });
    expect(body.months).toEqual([
      expect.objectContaining({ month: '2025-02', peakKw: 30, uncontrolledPeakKw: 42, avoidedKw: 12, saved: 48 }),
      expect.objectContaining({
        month: '2025-03',
        peakKw: 12.5,
        peakAt: NOW - 3_600_000,
        uncontrolledPeakKw: 30,
        reportedAt: NOW + 60_000,
        avoidedKw: 17.5,
        saved: 70,
      }),
    ]);
  });

  it('should answer no money without a tariff, and refuse a bad one', async () => {
    const plain = await json<DemandMonthsBody>(await h.request('/sites/depot/demand-months', { tenant: 'alpha' }));
    const bad = await h.request('/sites/depot/demand-months?tariff=-1', { tenant: 'alpha' });
    expect(plain.tariff).toBeNull();
    expect(plain.months.map((m) => m.saved)).toEqual([null, null]);
    expect(bad.status).toBe(400);
  });

  it("should show each tenant only its own site's months, and another tenant's site as not found", async () => {
    const bravo = await json<DemandMonthsBody>(await h.request('/sites/depot/demand-months', { tenant: 'bravo' }));
    await h.request('/sites', { method: 'POST', tenant: 'bravo', body: siteInput('yard') });
    const across = await h.request('/sites/yard/demand-months', { tenant: 'alpha' });
    expect(bravo.months.map((m) => [m.month, m.peakKw])).toEqual([['2025-03', 99]]);
    expect(across.status).toBe(404);
  });
});
