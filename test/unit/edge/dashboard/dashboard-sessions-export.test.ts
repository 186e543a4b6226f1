/** Issue 16: the site's sessions as a CSV download (energy, start, stop, tag, charger, connector), the rows the page lists. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionsAnswerSchema } from '../../../../shared/dashboard/api-answers';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { startHarness, type Harness } from './dashboard-harness';

describe('dashboard sessions export', () => {
  let h: Harness;
  beforeEach(() => (h = startHarness()));
  afterEach(() => h.close());

  it('should answer the stored sessions newest first, and the same as CSV with a file name, only when signed in', async () => {
    // Arrange
    const store = new SqliteSessionStore(h.db);
    const received = { receivedAt: 0, source: 'charger' as const };
    const start = Date.UTC(2026, 11, 1, 8, 0);
    store.startSession(
      {
        transactionId: 7,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: '=HYPERLINK("x")',
        startedAt: start,
        meterStartWh: 1000,
        energyWh: 0,
      },
      received,
    );
    store.stopSession(
      { transactionId: 7, stoppedAt: start + 3_600_000, meterStopWh: 12_345, reason: 'EVDisconnected' },
      received,
    );
    store.startSession(
      {
        transactionId: 8,
        chargerId: 'CP-2',
        connectorId: 1,
        idTag: undefined,
        startedAt: start + 60_000,
        meterStartWh: 0,
        energyWh: 500,
      },
      received,
    );
    const { cookie } = await h.signIn();

    // Act
    const refused = await h.call('GET', '/api/sessions.csv');
    const json = SessionsAnswerSchema.parse(await (await h.call('GET', '/api/sessions', { cookie })).json());
    const csv = await h.call('GET', '/api/sessions.csv', { cookie });

    // Assert
    expect(refused.status).toBe(401);
    expect(json.sessions.map((s) => s.transactionId)).toEqual([8, 7]);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="ampshare-sessions-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(await csv.text()).toBe(
      'transaction,charger,connector,id tag,start,stop,energy kWh\r\n' +
        '8,CP-2,1,,2026-12-01T08:01:00.000Z,,0.5\r\n' +
        `7,CP-1,1,"'=HYPERLINK(""x"")",2026-12-01T08:00:00.000Z,2026-12-01T09:00:00.000Z,11.345\r\n`,
    );
  });
});
