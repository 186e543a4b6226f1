/** Issue 16: the load history per phase, on the monitoring page and as a CSV download of the same samples. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MonitoringAnswerSchema, type LoadSample } from '../../../../shared/dashboard/api-answers';
import { startHarness, type Harness } from './dashboard-harness';

describe('dashboard load history export', () => {
  let h: Harness;
  beforeEach(() => (h = startHarness()));
  afterEach(() => h.close());

  it('should answer the samples per phase, and the same as CSV with a file name, only when signed in', async () => {
    // Arrange
    const at = h.clock.now();
    const samples: LoadSample[] = [
      { at: at - 20_000, gridAmps: [30.5, 20, 10.25], evAmps: [16, 16, 0], budgetAmps: 48, fuseAmps: 63 },
      { at: at - 10_000, gridAmps: null, evAmps: [12, 12, 12], budgetAmps: 48, fuseAmps: 63 },
    ];
    for (const sample of samples) h.feed.history.record(sample);
    const { cookie } = await h.signIn();

    // Act
    const refused = await h.call('GET', '/api/load.csv?range=hour');
    const page = MonitoringAnswerSchema.parse(
      await (await h.call('GET', '/api/monitoring?range=hour', { cookie })).json(),
    );
    const csv = await h.call('GET', '/api/load.csv?range=hour', { cookie });

    // Assert
    expect(refused.status).toBe(401);
    expect(page.samples).toEqual(samples);
    expect(page.nominalVolts).toBe(230);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="ampshare-load-hour-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(await csv.text()).toBe(
      'time,grid L1 A,grid L2 A,grid L3 A,EV L1 A,EV L2 A,EV L3 A,budget A,fuse A\r\n' +
        `${new Date(at - 20_000).toISOString()},30.5,20,10.25,16,16,0,48,63\r\n` +
        `${new Date(at - 10_000).toISOString()},,,,12,12,12,48,63\r\n`,
    );
  });
});
