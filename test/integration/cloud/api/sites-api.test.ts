import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyInput, siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';

interface SiteView {
  id: string;
  site: { chargers: Array<{ id: string }>; circuits: Array<{ id: string }>; name?: string };
}

describe('sites API on a real local DynamoDB', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should create a site, read it with its chargers and refuse a duplicate id', async () => {
    const created = await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('depot-1') });
    expect(created.status).toBe(201);
    expect(created.headers.get('Location')).toBe('/sites/depot-1');

    const read = await json<SiteView>(await h.request('/sites/depot-1', { tenant: 'acme' }));
    expect(read.site.chargers.map((c) => c.id)).toEqual(['CP-1', 'CP-2']);

    const duplicate = await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('depot-1') });
    expect(duplicate.status).toBe(409);
    expect((await json(duplicate)).error).toBe('resource.conflict');
  });

  it("should page through the tenant's sites with an opaque cursor", async () => {
    for (const id of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) {
      expect((await h.request('/sites', { method: 'POST', tenant: 'pager', body: siteInput(id) })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await json<{ items: Array<{ id: string }>; cursor: string | null }>(
        await h.request(`/sites${query}`, { tenant: 'pager' }),
      );
      seen.push(...page.items.map((s) => s.id));
      cursor = page.cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
  });

  it('should update a site but refuse removing a circuit its chargers use', async () => {
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('upd-1') });
    const ok = await h.request('/sites/upd-1', {
      method: 'PUT',
      tenant: 'acme',
      body: { $schemaVersion: 1, name: 'Renamed', circuits: [{ id: 'main', parent: null, fuseAmps: 80 }] },
    });
    expect(ok.status).toBe(200);
    expect((await json<SiteView>(ok)).site.name).toBe('Renamed');

    const bad = await h.request('/sites/upd-1', {
      method: 'PUT',
      tenant: 'acme',
      body: { $schemaVersion: 1, circuits: [{ id: 'other', parent: null, fuseAmps: 80 }] },
    });
    expect(bad.status).toBe(400);
    const body = await json<{ details: Array<{ path: string }> }>(bad);
    expect(body.details.map((d) => d.path)).toEqual(['chargers[0].circuit', 'chargers[1].circuit']);
  });

  it('should put, list and delete chargers, checking them against the site', async () => {
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('ch-1') });
    const put = await h.request('/sites/ch-1/chargers/CP-9', {
      method: 'PUT',
      tenant: 'acme',
      body: { circuit: 'main', phases: 1, maxAmps: 16 },
    });
    expect(put.status).toBe(201);
    const replaced = await h.request('/sites/ch-1/chargers/CP-9', {
      method: 'PUT',
      tenant: 'acme',
      body: { circuit: 'main', phases: 3, maxAmps: 16 },
    });
    expect(replaced.status).toBe(200);
    const unknownCircuit = await h.request('/sites/ch-1/chargers/CP-8', {
      method: 'PUT',
      tenant: 'acme',
      body: { circuit: 'nope', phases: 1, maxAmps: 16 },
    });
    expect((await json<{ details: Array<{ path: string }> }>(unknownCircuit)).details[0]?.path).toBe('circuit');

    const list = await json<{ items: Array<{ id: string; phases: number }> }>(
      await h.request('/sites/ch-1/chargers', { tenant: 'acme' }),
    );
    expect(list.items.map((c) => [c.id, c.phases])).toEqual([
      ['CP-1', 3],
      ['CP-2', 3],
      ['CP-9', 3],
    ]);
    expect((await h.request('/sites/ch-1/chargers/CP-9', { method: 'DELETE', tenant: 'acme' })).status).toBe(204);
    expect((await h.request('/sites/ch-1/chargers/CP-9', { method: 'DELETE', tenant: 'acme' })).status).toBe(404);
  });

  it('should delete a site only after its gateway is revoked', async () => {
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('del-1') });
    const registered = await json<{ registration: { thingName: string } }>(
      await h.request('/sites/del-1/gateways', { method: 'POST', tenant: 'acme' }),
    );
    expect((await h.request('/sites/del-1', { method: 'DELETE', tenant: 'acme' })).status).toBe(409);
    await h.request(`/sites/del-1/gateways/${registered.registration.thingName}`, { method: 'DELETE', tenant: 'acme' });
    expect((await h.request('/sites/del-1', { method: 'DELETE', tenant: 'acme' })).status).toBe(204);
    expect((await h.request('/sites/del-1', { tenant: 'acme' })).status).toBe(404);
  });

  it('should downsample telemetry over a time range to the requested number of points', async () => {
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('tel-1') });
    // One sample every 10 s for an hour: grid current ramps 0..359 A on L1.
    const samples = Array.from({ length: 360 }, (_, i) => ({
      tenantId: 'acme',
      siteId: 'tel-1',
      at: NOW - 3600_000 + i * 10_000,
      messageId: `m${i}`,
      gridAmps: [i, 1, 2] as const,
      chargingWatts: 1000,
    }));
    await h.local.repositories.telemetry.put(samples);

    const response = await h.request(`/sites/tel-1/telemetry?from=${NOW - 3600_000}&to=${NOW}&points=6`, {
      tenant: 'acme',
    });
    const body = await json<{
      bucketMs: number;
      points: Array<{ at: number; samples: number; gridAmps: number[]; gridAmpsMax: number[]; chargingWatts: number }>;
    }>(response);
    expect(body.bucketMs).toBe(600_000);
    expect(body.points).toHaveLength(6);
    expect(body.points.map((p) => p.samples)).toEqual([60, 60, 60, 60, 60, 60]);
    expect(body.points[0]).toMatchObject({
      at: NOW - 3600_000,
      gridAmps: [29.5, 1, 2],
      gridAmpsMax: [59, 1, 2],
      chargingWatts: 1000,
    });
    expect(body.points[5]?.gridAmpsMax[0]).toBe(359);
  });

  it('should list sessions and events newest first with a cursor', async () => {
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('ses-1') });
    for (let i = 0; i < 3; i++) {
      await h.local.repositories.sessions.put({
        tenantId: 'acme',
        siteId: 'ses-1',
        sessionId: `s${i}`,
        connector: 'CP-1/1',
        startedAt: NOW - 1000 * (3 - i),
        energyWh: 100 * i,
      });
    }
    await h.local.repositories.events.put([
      {
        tenantId: 'acme',
        siteId: 'ses-1',
        eventId: 'e1',
        at: NOW - 5,
        type: 'charger.faulted',
        severity: 'error',
        message: 'CP-1 faulted',
      },
    ]);

    const first = await json<{ items: Array<{ sessionId: string }>; cursor: string }>(
      await h.request('/sites/ses-1/sessions?limit=2', { tenant: 'acme' }),
    );
    const second = await json<{ items: Array<{ sessionId: string }>; cursor: string | null }>(
      await h.request(`/sites/ses-1/sessions?limit=2&cursor=${first.cursor}`, { tenant: 'acme' }),
    );
    expect([...first.items, ...second.items].map((s) => s.sessionId)).toEqual(['s2', 's1', 's0']);
    const events = await json<{ items: Array<{ type: string; tenantId?: string }> }>(
      await h.request('/sites/ses-1/events', { tenant: 'acme' }),
    );
    expect(events.items).toEqual([expect.objectContaining({ type: 'charger.faulted' })]);
    expect(events.items[0]?.tenantId).toBeUndefined();
  });

  it('should give the same sessions as a CSV file (issue 16)', async () => {
    // Arrange
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('csv-1') });
    await h.local.repositories.sessions.put({
      tenantId: 'acme',
      siteId: 'csv-1',
      sessionId: 's-1',
      connector: 'CP-1/2',
      idTag: '+49 tag, "quoted"',
      startedAt: NOW - 7_200_000,
      stoppedAt: NOW - 3_600_000,
      energyWh: 7_250,
    });
    const iso = (at: number) => new Date(at).toISOString();

    // Act
    const csv = await h.request(`/sites/csv-1/sessions.csv?from=${NOW - 86_400_000}`, { tenant: 'acme' });
    const other = await h.request(`/sites/csv-1/sessions.csv?from=${NOW - 86_400_000}`, { tenant: 'other' });

    // Assert
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="csv-1-sessions.csv"');
    expect(await csv.text()).toBe(
      'session,charger,connector,id tag,start,stop,energy kWh\r\n' +
        `s-1,CP-1,2,"'+49 tag, ""quoted""",${iso(NOW - 7_200_000)},${iso(NOW - 3_600_000)},7.25\r\n`,
    );
    expect(other.status).toBe(404);
  });

  it('should give the telemetry per phase as a CSV file with the pushed budget and the grid fuse (issue 16)', async () => {
    // Arrange
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('load-1') });
    const put = await h.request('/sites/load-1/policy', {
      method: 'PUT',
      tenant: 'acme',
      body: policyInput(40),
      headers: { 'If-Match': '"0"' },
    });
    await h.local.repositories.telemetry.put(
      [0, 1].map((i) => ({
        tenantId: 'acme',
        siteId: 'load-1',
        at: NOW - 3600_000 + i * 1800_000,
        messageId: `l${i}`,
        gridAmps: [20 + i, 10, 5] as const,
        allocatedAmps: [16, 16, i * 8] as const,
      })),
    );
    const iso = (at: number) => new Date(at).toISOString();
    const query = `from=${NOW - 3600_000}&to=${NOW}&points=2`;

    // Act
    const csv = await h.request(`/sites/load-1/telemetry.csv?${query}`, { tenant: 'acme' });
    const other = await h.request(`/sites/load-1/telemetry.csv?${query}`, { tenant: 'other' });

    // Assert
    expect(put.status).toBe(200);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="load-1-load.csv"');
    expect(await csv.text()).toBe(
      'time,grid L1 A,grid L2 A,grid L3 A,EV L1 A,EV L2 A,EV L3 A,budget A,fuse A\r\n' +
        `${iso(NOW - 3600_000)},20,10,5,16,16,0,40,63\r\n` +
        `${iso(NOW - 1800_000)},21,10,5,16,16,8,40,63\r\n`,
    );
    expect(other.status).toBe(404);
  });

  it('should serve an OpenAPI document generated from the request schemas without a token', async () => {
    const doc = await json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>
      >;
    }>(await h.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/sites/{siteId}/policy/preview');
    expect(
      Object.keys(
        doc.paths['/sites/{siteId}/policy']!.put!.requestBody!.content['application/json']!.schema.properties,
      ),
    ).toContain('budget');
  });
});
