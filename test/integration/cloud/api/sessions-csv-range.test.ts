/**
 * The sessions CSV holds every session started in its range, not one page of the list (issue 16): the API follows the
 * repository's pages, and refuses, with a reason the console says in German too, a range holding more sessions than
 * its bound rather than cut the file short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../e2e/support/csv';
import { siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';

const HOUR_MS = 3_600_000;
const MAX_CSV_SESSIONS = 300;

/** `count` closed sessions on `siteId`, one an hour back from `newestAt`, ids `<prefix><n>`. */
async function putSessions(h: ApiHarness, siteId: string, count: number, newestAt: number, prefix = 's') {
  for (let i = 0; i < count; i++)
    await h.local.repositories.sessions.put({
      tenantId: 'acme',
      siteId,
      sessionId: `${prefix}${i}`,
      connector: 'CP-1/1',
      startedAt: newestAt - i * HOUR_MS,
      stoppedAt: newestAt - i * HOUR_MS + 1_800_000,
      energyWh: 1000 + i,
    });
}

describe('sessions CSV over a range', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ limits: { maxCsvSessions: MAX_CSV_SESSIONS } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should hold every session started in [from, to), across more than one page of the list', async () => {
    // Arrange: 250 sessions an hour apart (the list gives at most 200 a request), and one after the range
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('range-1') });
    await putSessions(h, 'range-1', 250, NOW - HOUR_MS);
    await putSessions(h, 'range-1', 1, NOW, 'later-');
    const from = NOW - 250 * HOUR_MS;

    // Act
    const csv = await h.request(`/sites/range-1/sessions.csv?from=${from}&to=${NOW}`, { tenant: 'acme' });

    // Assert
    expect(csv.status).toBe(200);
    const rows = parseCsv(await csv.text());
    expect(rows[0]?.[0]).toBe('session');
    expect(rows.slice(1).map((row) => row[0])).toEqual(Array.from({ length: 250 }, (_, i) => `s${i}`));
  });

  it('should refuse a range holding more sessions than the bound, saying why, and give one holding exactly the bound', async () => {
    // Arrange
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('range-2') });
    await putSessions(h, 'range-2', MAX_CSV_SESSIONS + 1, NOW - HOUR_MS);
    const all = `/sites/range-2/sessions.csv?from=${NOW - (MAX_CSV_SESSIONS + 1) * HOUR_MS}`;
    const bound = `/sites/range-2/sessions.csv?from=${NOW - MAX_CSV_SESSIONS * HOUR_MS}`;

    // Act
    const tooMany = await h.request(all, { tenant: 'acme' });
    const exactly = await h.request(bound, { tenant: 'acme' });

    // Assert
    expect(tooMany.status).toBe(400);
    expect(await json(tooMany)).toMatchObject({
      error: 'message.invalid',
      details: [
        {
          path: 'query.from',
          reason: 'export.tooManySessions',
          params: { maximum: MAX_CSV_SESSIONS },
          message: `the range holds more than ${MAX_CSV_SESSIONS} sessions: choose a shorter one`,
        },
      ],
    });
    expect(exactly.status).toBe(200);
    expect(parseCsv(await exactly.text())).toHaveLength(MAX_CSV_SESSIONS + 1);
  });

  it('should refuse the list-only fields limit and cursor on the export', async () => {
    // Act
    const answer = await h.request(`/sites/range-1/sessions.csv?from=0&limit=100`, { tenant: 'acme' });

    // Assert
    expect(answer.status).toBe(400);
  });
});
