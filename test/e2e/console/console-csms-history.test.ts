/**
 * Issue 14: a site's link to its operator's CSMS over time on the console's site page (docs/csms.md): the share of
 * chargers linked and the messages queued, from the telemetry's CSMS figures; in German too; readable on a phone; and
 * no such section for a site without a CSMS.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartLayout } from '../support/chart-layout';
import { screenshot, WAIT_MS } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

const MINUTE = 60_000;

/**
 * depot-2 sits in front of a CSMS with 4 chargers, a sample every 5 minutes over the last day: the CSMS lost from
 * 6 h to 4 h ago (nothing linked, the backlog growing to 300 messages and delivered when it returned), and one charger
 * unlinked for the last 30 minutes.
 */
async function seedCsmsHistory(stack: ConsoleStack, now: number): Promise<void> {
  const samples = Array.from({ length: 288 }, (_, i) => {
    const at = now - 24 * 60 * MINUTE + i * 5 * MINUTE + 1000;
    const ago = now - at;
    const outage = ago <= 6 * 60 * MINUTE && ago > 4 * 60 * MINUTE;
    const backlogMessages = outage ? Math.round((300 * (6 * 60 * MINUTE - ago)) / (2 * 60 * MINUTE)) : 0;
    return {
      tenantId: stack.tenantId,
      siteId: 'depot-2',
      at,
      messageId: `csms-${i}`,
      activeConnectors: 0,
      csms: { chargers: 4, connected: outage ? 0 : ago <= 30 * MINUTE ? 3 : 4, backlogMessages, setAside: 0 },
    };
  });
  await stack.local.repositories.telemetry.put(samples);
}

describe("fleet console: a site's CSMS link over time in headless Chromium", () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ seed: seedCsmsHistory });
    ({ stack, page } = started);
  });
  afterAll(() => stopSeededConsole(started));

  const linkedChart = () => page.getByTestId('csms-link-chart').locator('svg.load-chart').first();
  const queuedChart = () => page.getByTestId('csms-link-chart').locator('svg.load-chart').last();

  it("should chart the chargers linked and the messages queued over the last day, and the last hour's", async () => {
    // Act
    await page.goto(`${stack.consoleUrl}#/sites/depot-2`);
    await page.getByRole('heading', { name: 'CSMS link' }).waitFor();
    await linkedChart().waitFor();

    // Assert: the latest figures in the charts' accessible names; the outage's peak backlog sets the axis
    expect(await linkedChart().getAttribute('aria-label')).toBe(
      'Chargers linked to the CSMS, last day. Chargers linked: latest 75.0 %',
    );
    expect(await queuedChart().getAttribute('aria-label')).toBe(
      'Messages queued for the CSMS, last day. Messages queued: latest 0.0 messages',
    );
    expect(await queuedChart().locator('g.tick text').allTextContents()).toEqual(['0', '100', '200', '300', '400']);
    expect(await linkedChart().locator('g.tick text').allTextContents()).toEqual(['0', '25', '50', '75', '100']);
    await expect.poll(() => page.getByText('Last day: CSMS link figures for').textContent()).toMatch(/for \d+ points/);
    await screenshot(page, 'console', '11-site-csms-link');

    await page.getByRole('group', { name: 'Time range' }).nth(1).getByRole('button', { name: 'Last hour' }).click();
    await page.getByRole('img', { name: /^Chargers linked to the CSMS, last hour/ }).waitFor();
    expect(await queuedChart().locator('g.tick text').allTextContents()).toEqual(['0', '1', '2', '3', '4']);
  });

  it('should draw the charts on a phone with readable labels that neither overlap nor get cut off', async () => {
    const phone = await started!.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      // Arrange: the same session in a new tab of the same browser needs its own sign-in
      await phone.goto(page.url().replace(/#.*$/, ''));
      await phone.getByLabel('Tenant id').fill(stack.tenantId);
      await phone.getByRole('button', { name: 'Sign in as tenant' }).click();
      await phone.getByRole('heading', { name: 'Sites' }).waitFor();

      // Act
      await phone.goto(`${stack.consoleUrl}#/sites/depot-2`);
      const charts = phone.getByTestId('csms-link-chart').locator('svg.load-chart');
      await charts.last().waitFor();

      // Assert
      for (const chart of [charts.first(), charts.last()]) {
        const layout = await chartLayout(phone, chart);
        expect(layout.overlapping).toEqual([]);
        expect(layout.cut).toEqual([]);
        expect(layout.smallestLabelPx).toBeGreaterThanOrEqual(11);
        expect(layout.chartWidthPx).toBeLessThanOrEqual(390);
      }
      await screenshot(phone, 'console', 'csms-link-phone');
    } finally {
      await phone.close();
    }
  });

  it('should say it all in German, with nothing English left in the section', async () => {
    // Arrange
    await page.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));

    // Act
    await page.goto(`${stack.consoleUrl}#/sites/depot-2`);
    await page.reload();
    await page.getByRole('heading', { name: 'CSMS-Verbindung' }).waitFor();
    await linkedChart().waitFor();

    // Assert
    expect(await linkedChart().getAttribute('aria-label')).toBe(
      'Mit dem CSMS verbundene Ladepunkte, letzter Tag. Ladepunkte verbunden: zuletzt 75,0 %',
    );
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'CSMS-Verbindung' }) });
    const english = await otherLanguageOn(page, 'de');
    const inSection = await section.innerText();
    expect(english.filter((fragment) => inSection.includes(fragment))).toEqual([]);
    await page.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));
  });

  it(
    'should show no CSMS link section for a site without a CSMS',
    async () => {
      // Act
      await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
      await page.reload();
      await page.locator('svg.load-chart path[data-series="Grid L1"]').waitFor();
      await page.waitForLoadState('networkidle');

      // Assert: depot-1's telemetry carries no CSMS figures
      expect(await page.getByRole('heading', { name: 'CSMS link' }).count()).toBe(0);
      expect(await page.getByTestId('csms-link-chart').isVisible()).toBe(false);
    },
    WAIT_MS * 2,
  );
});
