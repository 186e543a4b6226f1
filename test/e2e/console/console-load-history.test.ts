/**
 * Issue 16: a site's load history per phase on the fleet console. The CSV the browser downloads parses and holds the
 * rows the page's data table shows (the chart's points, the budget the site runs and the grid fuse); on a phone
 * (390 x 844) the chart's labels are readable, none overlaps another and none is cut off.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartLayout, loadDataRows } from '../support/chart-layout';
import { parseCsv } from '../support/csv';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';
import { signIn } from './support/console-sign-in';
import { startConsoleStack, type ConsoleStack } from './support/console-stack';
import { seedFleet } from './support/fleet-seed';

describe('fleet console: load history per phase', () => {
  let stack: ConsoleStack;
  let browser: Browser;

  /** A signed-in page on depot-1 (an hour of telemetry, running version 1 with its 40 A budget). */
  async function sitePage(options: Parameters<Browser['newPage']>[0]): Promise<Page> {
    const page = await browser.newPage(options);
    page.setDefaultTimeout(WAIT_MS);
    await signIn(page, stack.consoleUrl, stack.tenantId);
    await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
    await page.locator('svg.load-chart path[data-series="Grid L1"]').waitFor();
    return page;
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await seedFleet(stack, Date.now());
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('should download a CSV of the load per phase that parses and holds the rows the page shows', async () => {
    // Arrange
    const page = await sitePage({ acceptDownloads: true, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await page.getByText('Show the data as a table').click();
    const shown = await loadDataRows(page);

    // Act
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download load history (CSV)' }).click(),
    ]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));

    // Assert
    expect(download.suggestedFilename()).toBe('depot-1-load.csv');
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
    const asShown = rows
      .slice(1)
      .map(([time = '', ...amps]) => [time, ...amps.map((a) => (a === '' ? '–' : Number(a).toFixed(1)))]);
    expect(shown.length).toBeGreaterThan(10);
    expect(asShown).toEqual(shown);
    expect(new Set(shown.map((row) => row[7]))).toEqual(new Set(['40.0']));
    await page.close();
  });

  it('should draw the chart on a phone with readable labels that neither overlap nor get cut off', async () => {
    // Arrange
    const phone = await sitePage({ locale: 'en-US', viewport: { width: 390, height: 844 } });

    // Act
    await phone.getByRole('group', { name: 'Unit' }).getByRole('button', { name: 'kW' }).click();
    await phone.locator('svg.load-chart text.axis-unit', { hasText: 'kW' }).waitFor();
    const layout = await chartLayout(phone);
    await screenshot(phone, 'console', 'load-chart-phone');

    // Assert
    expect(layout.overlapping).toEqual([]);
    expect(layout.cut).toEqual([]);
    expect(layout.smallestLabelPx).toBeGreaterThanOrEqual(11);
    expect(layout.chartWidthPx).toBeLessThanOrEqual(390);
    await phone.close();
  });
});
