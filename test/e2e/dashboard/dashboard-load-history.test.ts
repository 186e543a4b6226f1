/**
 * Issue 16: the load history per phase on the dashboard. The chart draws L1, L2, L3 in A or kW; the CSV the browser
 * downloads parses and holds the rows the page's data table shows; on a phone (390 x 844) the chart's labels are
 * drawn at a readable size, none overlaps another and none is cut at the chart's edge.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartLayout, loadDataRows } from '../support/chart-layout';
import { parseCsv } from '../support/csv';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';

describe('site dashboard: load history per phase', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(2), launchBrowser()]);
    page = await browser.newPage({ acceptDownloads: true, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
    await page.goto(`${site.url}#/monitoring`);
    // Attached, not visible: a fresh chart's first samples may all be equal, a flat line with no height, which
    // Playwright counts as hidden
    await page.locator('svg.load-chart path[data-series="EV L1"]').waitFor({ state: 'attached' });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('should download a CSV of the load per phase that parses and holds the rows the page shows', async () => {
    // Arrange
    await page.getByText('Show the data as a table').click();
    await page.getByTestId('load-data').locator('tbody tr td time').first().waitFor();
    const shown = await loadDataRows(page);

    // Act
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download load history (CSV)' }).click(),
    ]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));

    // Assert
    expect(download.suggestedFilename()).toMatch(/^ampshare-load-hour-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(rows[0]).toEqual([
      'time',
      'grid L1 A',
      'grid L2 A',
      'grid L3 A',
      'EV L1 A',
      'EV L2 A',
      'EV L3 A',
      'budget A',
      'fuse A',
    ]);
    // A sample can arrive between reading the page and downloading: the file holds the page's rows, then newer ones.
    const asShown = rows
      .slice(1, shown.length + 1)
      .map(([time = '', ...amps]) => [time, ...amps.map((a) => (a === '' ? '–' : Number(a).toFixed(1)))]);
    expect(shown.length).toBeGreaterThan(0);
    expect(asShown).toEqual(shown);
    expect(shown.every((row) => Number(row[4]) > 0)).toBe(true);
  });

  it('should draw L1, L2 and L3 and switch the chart and its data between A and kW', async () => {
    // Arrange
    const chart = page.locator('svg.load-chart');
    const amps = Number((await loadDataRows(page))[0]?.[4]);

    // Act
    await page.getByRole('group', { name: 'Unit' }).getByRole('button', { name: 'kW' }).click();
    await chart.locator('text.axis-unit', { hasText: 'kW' }).waitFor();
    const kw = Number((await loadDataRows(page))[0]?.[4]);

    // Assert
    for (const series of ['EV L1', 'EV L2', 'EV L3', 'Budget', 'Fuse limit'])
      expect(await chart.locator(`path[data-series="${series}"]`).getAttribute('d')).toMatch(/^M/);
    expect(await page.getByTestId('load-data').locator('th').nth(4).textContent()).toBe('EV L1 kW');
    expect(kw).toBeCloseTo((amps * 230) / 1000, 1);
    await page.getByRole('group', { name: 'Unit' }).getByRole('button', { name: 'A', exact: true }).click();
    await chart.locator('text.axis-unit', { hasText: /^A$/ }).waitFor();
  });

  it('should draw the chart on a phone with readable labels that neither overlap nor get cut off', async () => {
    // Arrange
    const phone = await browser.newPage({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    phone.setDefaultTimeout(WAIT_MS);
    await phone.goto(site.url);
    await phone.getByLabel('Passwort').fill(PASSWORD);
    await phone.getByLabel('Passwort').press('Enter');
    await phone.getByRole('heading', { level: 1, name: 'Zuteilungen' }).waitFor();
    await phone.goto(`${site.url}#/monitoring`);
    await phone.getByRole('button', { name: 'Letzter Tag' }).click();
    // The hour's chart stays until the day's answer is drawn; the button is pressed when it is
    await phone.getByRole('button', { name: 'Letzter Tag', pressed: true }).waitFor();
    await phone.locator('svg.load-chart path[data-series="Ladelast L1"]').waitFor({ state: 'attached' });

    // Act
    const layout = await chartLayout(phone);
    await screenshot(phone, 'dashboard', 'load-chart-phone');

    // Assert
    expect(layout.overlapping).toEqual([]);
    expect(layout.cut).toEqual([]);
    expect(layout.smallestLabelPx).toBeGreaterThanOrEqual(11);
    expect(layout.chartWidthPx).toBeLessThanOrEqual(390);

    // Turned to landscape, the chart is drawn again at its new width (five time labels), still readable.
    await phone.setViewportSize({ width: 844, height: 390 });
    const drawnWidth = async () =>
      Number((await phone.locator('svg.load-chart').getAttribute('viewBox'))?.split(' ')[2]);
    await expect.poll(drawnWidth, { timeout: WAIT_MS }).toBeGreaterThan(700);
    const turned = await chartLayout(phone);
    expect(turned.overlapping).toEqual([]);
    expect(turned.cut).toEqual([]);
    expect(turned.smallestLabelPx).toBeGreaterThanOrEqual(11);
    await phone.close();
  });
});
