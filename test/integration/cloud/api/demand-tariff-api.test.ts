/**
 * Issue 18: each site's capacity tariff kept in the cloud, on DynamoDB Local: set and read through the API
 * (validated, size-limited, tenant-scoped), and what the peak-demand months count the money saved at by default.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';

interface TariffBody {
  siteId: string;
  tariff: { perKw: number; per: string; currency: string; updatedAt: number } | null;
}
interface ErrorBody {
  error: string;
  details: Array<{ path: string; message: string }>;
}
interface MonthsBody {
  tariff: { perKw: number; per: string; currency?: string } | null;
  months: Array<{ month: string; saved: number | null }>;
}

describe('the capacity tariff in the cloud', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('depot') });
    await h.request('/sites', { method: 'POST', tenant: 'bravo', body: siteInput('yard') });
    // 12 kW avoided in March.
    await h.local.repositories.demandMonths.report({
      tenantId: 'alpha',
      siteId: 'depot',
      month: '2025-03',
      periodMinutes: 15,
      peakKw: 18,
      uncontrolledPeakKw: 30,
      reportedAt: NOW,
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should answer no tariff and no money until one is set', async () => {
    const tariff = await json<TariffBody>(await h.request('/sites/depot/demand-tariff', { tenant: 'alpha' }));
    const months = await json<MonthsBody>(await h.request('/sites/depot/demand-months', { tenant: 'alpha' }));
    expect(tariff).toEqual({ siteId: 'depot', tariff: null });
    expect(months.tariff).toBeNull();
    expect(months.months.map((m) => m.saved)).toEqual([null]);
  });

  it('should keep the tariff set, and count the months at it unless another is asked for', async () => {
    // Act
    const put = await h.request('/sites/depot/demand-tariff', {
      method: 'PUT',
      tenant: 'alpha',
      body: { perKw: 48, per: 'year', currency: 'EUR' },
    });
    const read = await json<TariffBody>(await h.request('/sites/depot/demand-tariff', { tenant: 'alpha' }));
    const stored = await json<MonthsBody>(await h.request('/sites/depot/demand-months', { tenant: 'alpha' }));
    const asked = await json<MonthsBody>(
      await h.request('/sites/depot/demand-months?tariff=5&per=month', { tenant: 'alpha' }),
    );

    // Assert: 48 per kW and year is 4 per kW and month, 12 kW avoided
    expect(put.status).toBe(200);
    expect(read).toEqual({ siteId: 'depot', tariff: { perKw: 48, per: 'year', currency: 'EUR', updatedAt: NOW } });
    expect(stored.tariff).toEqual({ perKw: 48, per: 'year', currency: 'EUR' });
    expect(stored.months.map((m) => m.saved)).toEqual([48]);
    expect(asked.tariff).toEqual({ perKw: 5, per: 'month' });
    expect(asked.months.map((m) => m.saved)).toEqual([60]);
  });

  it('should refuse a bad tariff with 400 naming each bad field, and one too large with 413, keeping the one before', async () => {
    const put = (body: unknown) => h.request('/sites/depot/demand-tariff', { method: 'PUT', tenant: 'alpha', body });

    const bad = await put({ perKw: -1, per: 'week', currency: 'euro' });
    const extra = await put({ perKw: 1, per: 'year', currency: 'EUR', vat: 21 });
    const notJson = await put('{"perKw":');
    const large = await put({ perKw: 1, per: 'year', currency: 'EUR', note: 'x'.repeat(2_000) });

    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).details.map((d) => d.path).sort()).toEqual(['currency', 'per', 'perKw']);
    expect(extra.status).toBe(400);
    expect(notJson.status).toBe(400);
    expect(large.status).toBe(413);
    expect((await json<ErrorBody>(large)).error).toBe('message.tooLarge');
    const kept = await json<TariffBody>(await h.request('/sites/depot/demand-tariff', { tenant: 'alpha' }));
    expect(kept.tariff).toMatchObject({ perKw: 48, per: 'year', currency: 'EUR' });
  });

  it("should not let a tenant read or set another tenant's tariff: the site is not found", async () => {
    const read = await h.request('/sites/depot/demand-tariff', { tenant: 'bravo' });
    const set = await h.request('/sites/depot/demand-tariff', {
      method: 'PUT',
      tenant: 'bravo',
      body: { perKw: 1, per: 'month', currency: 'USD' },
    });
    const own = await json<TariffBody>(await h.request('/sites/yard/demand-tariff', { tenant: 'bravo' }));

    expect(read.status).toBe(404);
    expect(set.status).toBe(404);
    expect(own.tariff).toBeNull();
    const alpha = await json<TariffBody>(await h.request('/sites/depot/demand-tariff', { tenant: 'alpha' }));
    expect(alpha.tariff).toMatchObject({ perKw: 48, currency: 'EUR' });
  });

  it('should describe both routes in the OpenAPI document, with the body the PUT takes', async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: object }> } }>>;
    }>(await h.request('/openapi.json'));
    const route = doc.paths['/sites/{siteId}/demand-tariff'];
    expect(Object.keys(route ?? {}).sort()).toEqual(['get', 'put']);
    const schema = route?.put?.requestBody?.content['application/json']?.schema as { properties?: object } | undefined;
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(['currency', 'per', 'perKw']);
  });

  it('should delete the tariff and the peak-demand months with their site: a site made again under its id has none', async () => {
    // Arrange
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('gone') });
    await h.request('/sites/gone/demand-tariff', {
      method: 'PUT',
      tenant: 'alpha',
      body: { perKw: 48, per: 'year', currency: 'EUR' },
    });
    await h.local.repositories.demandMonths.report({
      tenantId: 'alpha',
      siteId: 'gone',
      month: '2025-03',
      periodMinutes: 15,
      peakKw: 18,
      uncontrolledPeakKw: 30,
      reportedAt: NOW,
    });

    // Act
    const deleted = await h.request('/sites/gone', { method: 'DELETE', tenant: 'alpha' });
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('gone') });

    // Assert
    expect(deleted.status).toBe(204);
    const tariff = await json<TariffBody>(await h.request('/sites/gone/demand-tariff', { tenant: 'alpha' }));
    const months = await json<MonthsBody>(await h.request('/sites/gone/demand-months', { tenant: 'alpha' }));
    expect(tariff.tariff).toBeNull();
    expect(months.months).toEqual([]);
  });
});
