/**
 * Issue 16: every dashboard load logged a Content-Security-Policy error in the browser's console. A page load, the
 * set-up and the sign-in and every section leave the console without an error or a CSP report.
 */
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

describe('site dashboard: a clean browser console', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;
  const messages: string[] = [];

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(1), launchBrowser()]);
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' || message.type() === 'warning') messages.push(message.text());
    });
    page.on('pageerror', (error) => messages.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('should log no error through set-up, sign-in and every section', async () => {
    // Act
    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill('correct horse battery staple');
    await page.getByLabel('Repeat the password').fill('correct horse battery staple');
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
    const sections = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
    for (const name of await sections.allTextContents()) {
      await sections.filter({ hasText: name }).first().click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: name.trim() }).first().waitFor();
    }
    await page.reload();
    await page.getByRole('heading', { level: 1 }).first().waitFor();

    // Assert
    expect(messages).toEqual([]);
  });
});
