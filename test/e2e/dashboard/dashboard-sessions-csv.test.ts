/**
 * Issue 16: the sessions on the dashboard as a CSV download. The file the browser downloads parses as CSV and holds
 * the rows the page shows: transaction, charger, connector, tag, start and stop (the instant of the page's time),
 * energy.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

describe('site dashboard: sessions as CSV', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(2), launchBrowser()]);
    // One finished session (its energy final) and one still charging.
    await site.chargers[0]?.stop('EVDisconnected');
    page = await browser.newPage({ acceptDownloads: true });
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill('correct horse battery staple');
    await page.getByLabel('Repeat the password').fill('correct horse battery staple');
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Device monitoring' }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('should download a CSV that parses and holds the rows the page shows', async () => {
    // Arrange
    const table = page.getByTestId('sessions-table');
    await table.locator('tbody tr').nth(1).waitFor();
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('td')].map(
            (cell) => cell.querySelector('time')?.getAttribute('datetime') ?? cell.textContent ?? '',
          ),
        ),
      );

    // Act
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download sessions (CSV)' }).click(),
    ]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));

    // Assert
    expect(download.suggestedFilename()).toMatch(/^ampshare-sessions-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(rows[0]).toEqual(['transaction', 'charger', 'connector', 'id tag', 'start', 'stop', 'energy kWh']);
    const body = rows.slice(1);
    expect(body).toHaveLength(shown.length);
    const asShown = body.map(([id = '', charger = '', connector = '', tag = '', start = '', stop = '', kwh = '']) => [
      id,
      charger,
      connector,
      tag === '' ? '–' : tag,
      start,
      stop === '' ? 'charging' : stop,
      Number(kwh).toFixed(3),
    ]);
    // An open session's energy is saved every 30 s: the file, read after the page, may be one save ahead.
    const settled = (table: string[][]) => table.map((row) => (row[5] === 'charging' ? row.slice(0, 6) : row));
    expect(settled(asShown)).toEqual(settled(shown));
    const open = (table: string[][]) => Number(table.find((row) => row[5] === 'charging')?.[6]);
    expect(open(asShown)).toBeGreaterThanOrEqual(open(shown));
    expect(shown.filter((row) => row[5] === 'charging')).toHaveLength(1);
  });
});
