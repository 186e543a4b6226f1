/**
 * Issue 16: "Switch off" acted on one click, then said "switched off" while the car went on charging. It asks first,
 * a cancel changes nothing, and with a car in a session it says the car keeps charging until the charger ends it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';

describe('site dashboard: switching a charger off', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(1), launchBrowser()]);
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Device management' }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('should ask before switching off, and change nothing on Cancel', async () => {
    // Arrange
    const card = page.locator('article[data-charger="CP-1"]');
    await card.filter({ hasText: 'Charging' }).waitFor();

    // Act
    await card.getByRole('button', { name: 'Switch CP-1 off' }).click();
    const question = card.getByRole('group', { name: 'Confirm switching CP-1 off' });
    await question.waitFor();
    const asked = await question.textContent();
    await question.getByRole('button', { name: 'Cancel' }).click();

    // Assert
    expect(asked).toContain('keeps charging, at least at the fail-safe current, until the charger ends its session');
    expect(await question.isHidden()).toBe(true);
    expect(await card.textContent()).not.toContain('switched off');
  });

  it('should switch off on confirmation and say that the car is still charging', async () => {
    // Arrange
    const card = page.locator('article[data-charger="CP-1"]');

    // Act
    await card.getByRole('button', { name: 'Switch CP-1 off' }).click();
    await card.getByRole('button', { name: 'Yes, switch CP-1 off' }).click();

    // Assert
    const status = page.getByTestId('charger-status-CP-1');
    await status.filter({ hasText: 'being switched off' }).waitFor();
    expect(await status.textContent()).toContain('The car charging on it is not stopped');
    await card.filter({ hasText: 'switched off, car still charging' }).waitFor();
    expect(await card.getByRole('button', { name: 'Switch CP-1 on' }).isVisible()).toBe(true);
  });
});
