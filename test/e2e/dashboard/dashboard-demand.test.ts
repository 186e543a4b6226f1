/**
 * Issue 18: the dashboard's Peak demand page in headless Chromium, on a real agent reading a Modbus TCP grid meter
 * (building plus cars) with peak-demand control on. The agent starts on a store holding the current period's count and
 * two months' peaks, as after a restart: the page shows the period the agent goes on counting, its target and the cap
 * given to the chargers, the peaks newest first (this month marked), and follows a rise of the building load live.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemandAnswerSchema } from '../../../shared/dashboard/demand-answer';
import { demandPeriodAt } from '../../../shared/demand/demand-period';
import { launchBrowser, screenshot, unnamedControls, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';
const VOLTS = 230;

/** The month before `month` (`2026-01` → `2025-12`). */
function monthBefore(month: string): string {
  const [year = 0, index = 1] = month.split('-').map(Number);
  return index === 1 ? `${year - 1}-12` : `${year}-${String(index - 1).padStart(2, '0')}`;
}

describe('site dashboard, the Peak demand page, in headless Chromium', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;
  let buildingAmps = 10;
  let seededStart = 0;
  let thisMonth = '';

  beforeAll(async () => {
    // The agent counts on the real clock: a seeded period that closes while the test runs would not be the one shown,
    // so a start in the last minute and a half of a period waits for the next one (at most that long, 1 run in 10).
    const left = demandPeriodAt(Date.now(), 15, 'UTC').end - Date.now();
    if (left < 90_000) await new Promise((resolve) => setTimeout(resolve, left + 500));
    const demand = {
      buildingAmps: () => buildingAmps,
      demandControl: { enabled: true, targetKw: 15, marginKw: 0.5 },
      stored: (now: number) => {
        const period = demandPeriodAt(now, 15, 'UTC');
        seededStart = period.start;
        thisMonth = period.month;
        const buildingWatts = 3 * buildingAmps * VOLTS;
        return {
          period,
          importedWh: (buildingWatts * (now - period.start)) / 3_600_000,
          countedAt: now,
          importWatts: buildingWatts,
          uncertain: false,
          peaks: [
            { month: monthBefore(period.month), kw: 21.5, at: Date.parse(`${monthBefore(period.month)}-10T08:15:00Z`) },
            { month: period.month, kw: 12.34, at: Date.parse(`${period.month}-01T09:00:00Z`) },
          ],
        };
      },
    };
    [site, browser] = await Promise.all([startDashboardSite(2, demand), launchBrowser()]);
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it("should show the agent's period, target and cap, and the months' peaks newest first", async () => {
    // Act
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Peak demand' }).click();
    await page.getByRole('heading', { level: 1, name: 'Peak demand' }).waitFor();
    const facts = page.getByTestId('demand-period');
    await facts
      .locator('dd')
      .nth(4)
      .filter({ hasText: /^\d+\.\d kW$/ })
      .waitFor();
    await screenshot(page, 'dashboard', '30-peak-demand');
    const labels = await facts.locator('dt').allTextContents();
    const values = await facts.locator('dd').allTextContents();
    const peaks = page.getByTestId('demand-peaks').locator('tbody tr');
    const rows = await Promise.all([0, 1].map(async (i) => peaks.nth(i).locator('td').allTextContents()));
    const answer = DemandAnswerSchema.parse(await (await page.request.get(`${site.url}api/demand`)).json());

    // Assert: the agent goes on counting the stored period (not uncertain), under the 15 kW target.
    expect(answer.period?.start).toBe(seededStart);
    expect(labels).toEqual([
      'Period',
      'Average so far',
      'Forecast for the period',
      'Target',
      'Cap given to the chargers',
      'Count',
    ]);
    expect(values[0]).toMatch(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}\s[AP]M to \d{2}:\d{2}\s[AP]M$/);
    expect(values[1]).toMatch(/^\d+\.\d kW$/);
    expect(values[3]).toBe('15.0 kW');
    expect(values[5]).toBe('measured');
    expect(await peaks.count()).toBe(2);
    expect(rows[0]?.[0]).toMatch(/ this month$/);
    expect(rows[0]?.slice(1, 2)).toEqual(['12.3 kW']);
    expect(rows[1]?.slice(1, 2)).toEqual(['21.5 kW']);
    expect(answer.monthPeaks.map((p) => p.month)).toEqual([monthBefore(thisMonth), thisMonth]);
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('should lower the cap shown without a reload when the building load rises', async () => {
    // Arrange
    const cap = page.getByTestId('demand-period').locator('dd').nth(4);
    const before = Number.parseFloat((await cap.textContent()) ?? '');

    // Act: the building goes from 6.9 kW to 13.8 kW: the forecast for the rest of the period rises by 6.9 kW, and the
    // chargers' room by as much less (the cap falls as soon as keeping it would spend the margin).
    buildingAmps = 20;
    const shown = async () => Number.parseFloat((await cap.textContent()) ?? '');
    await expect.poll(shown, { timeout: WAIT_MS }).toBeLessThan(before - 5);

    // Assert: the forecast stays under the 15 kW target. How far under depends on how much of the period had passed
    // at the lower building load when the test runs (CI saw 13.4 kW once, 14.x most runs), so only the bound is asserted.
    expect(before).toBeGreaterThan(5);
    const forecast = await page.getByTestId('demand-period').locator('dd').nth(2).textContent();
    expect(forecast).toMatch(/^\d+\.\d kW$/);
    expect(Number.parseFloat(forecast ?? '')).toBeLessThanOrEqual(15);
  });
});
