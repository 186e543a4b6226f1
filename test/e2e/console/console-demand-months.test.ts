/**
 * Issue 18: a site's peak-demand months on the fleet console in headless Chromium, from DynamoDB Local through the
 * API: the peak with control, the estimate without it and the kW avoided, newest month first; the money saved once a
 * capacity tariff is saved, and that tariff kept with the site in the cloud (a fresh browser, with nothing stored, shows
 * it).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, unnamedControls, WAIT_MS } from '../support/headless-browser';
import { signIn } from './support/console-sign-in';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

describe('fleet console: peak-demand months of a site in headless Chromium', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ locale: 'en-US', signIn: false, seed: seedMonths });
    ({ stack, page } = started);
  });

  /** Two months of depot-1: November's peak 30 kW (42 kW without control), December's so far 12.5 kW (30 kW). */
  async function seedMonths(stack: ConsoleStack, now: number): Promise<void> {
    const month = { tenantId: stack.tenantId, siteId: 'depot-1', periodMinutes: 15, reportedAt: now };
    await stack.local.repositories.demandMonths.report({
      ...month,
      month: '2026-11',
      peakKw: 30,
      uncontrolledPeakKw: 42,
    });
    await stack.local.repositories.demandMonths.report({
      ...month,
      month: '2026-12',
      peakKw: 12.5,
      uncontrolledPeakKw: 30,
    });
  }
  afterAll(() => stopSeededConsole(started));

  it('should show the months newest first, and the money saved at the tariff saved, kept with the site in the cloud', async () => {
    // Arrange
    await signIn(page, stack.consoleUrl, stack.tenantId);
    await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
    const rows = page.getByTestId('demand-months').locator('tbody tr');
    await rows.nth(1).waitFor();
    const before = await rows.nth(0).locator('td').allTextContents();

    // Act: 48 per kW and year is 4 per kW and month
    await page.getByLabel('Capacity tariff per kW').fill('48');
    await page.getByLabel('Currency').fill('chf');
    await page.getByRole('button', { name: 'Save the tariff' }).click();
    await rows
      .nth(0)
      .locator('td')
      .nth(4)
      .filter({ hasText: /^70\.00$/ })
      .waitFor();
    await screenshot(page, 'console', '40-peak-demand');
    const after = await Promise.all([0, 1].map((i) => rows.nth(i).locator('td').allTextContents()));
    const stored = await stack.local.repositories.demandTariffs.get(stack.tenantId, 'depot-1');
    // A fresh browser (no local storage): the tariff and the money come from the cloud.
    const fresh = await started!.browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    fresh.setDefaultTimeout(WAIT_MS);
    await signIn(fresh, stack.consoleUrl, stack.tenantId);
    await fresh.goto(`${stack.consoleUrl}#/sites/depot-1`);
    const freshRows = fresh.getByTestId('demand-months').locator('tbody tr');
    await freshRows
      .nth(0)
      .locator('td')
      .nth(4)
      .filter({ hasText: /^70\.00$/ })
      .waitFor();
    await fresh.waitForFunction(
      () => (document.getElementById('demand-tariff') as HTMLInputElement | null)?.value === '48',
    );

    // Assert
    expect(before).toEqual(['December 2026', '12.5 kW', '30.0 kW', '17.5 kW', '–']);
    expect(after).toEqual([
      ['December 2026', '12.5 kW', '30.0 kW', '17.5 kW', '70.00'],
      ['November 2026', '30.0 kW', '42.0 kW', '12.0 kW', '48.00'],
    ]);
    expect(stored).toMatchObject({ perKw: 48, per: 'year', currency: 'CHF' });
    expect(await fresh.getByLabel('Capacity tariff per kW').inputValue()).toBe('48');
    expect(await fresh.getByLabel('Currency').inputValue()).toBe('CHF');
    expect(await fresh.getByTestId('demand-months').locator('th').allTextContents()).toContain('Saved (CHF)');
    expect(await unnamedControls(page)).toEqual([]);
    await fresh.close();
  });
});
