/**
 * Issue 16: the Allocations page's "Test Request Allocation" form sent a request naming no connector when clicked
 * before the page had its allocations (the connector list comes with them), and the agent refused it as a malformed
 * reference. The button now stays disabled, saying why, until the form has free connectors to offer; nothing is sent
 * before. The page's allocations are held back here (and its live updates refused) until the test lets them through.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';

describe('site dashboard: the test request before the allocations are in', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;
  let release: () => void = () => undefined;
  const previews: Request[] = [];

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(1), launchBrowser()]);
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const allocationsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/allocations', async (route) => {
      await allocationsHeld;
      await route.continue();
    });
    await page.route('**/api/live', (route) => route.abort());
    page.on('request', (request) => {
      if (request.url().endsWith('/api/allocations/preview')) previews.push(request);
    });
    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
  });
  afterAll(async () => {
    release();
    await browser?.close();
    await site?.stop();
  });

  it('should keep the request from being sent, and say why, until the connectors are in', async () => {
    // Arrange
    const button = page.getByRole('button', { name: 'Test Request Allocation' });
    await page.getByText('Loading the allocation…').waitFor();

    // Act: the button is clicked and Enter pressed in the form while the allocations are held back
    await button.click({ force: true });
    await page.getByLabel('Max current (A per phase)').press('Enter');

    // Assert: nothing sent (before: a request with an empty connector, refused), and the reason beside the button
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('aria-describedby')).toBe('test-request-waiting');
    expect(await page.locator('#test-request-waiting').textContent()).toBe(
      'The free connectors come with the allocation: the request can be sent once they are here.',
    );
    expect(previews).toEqual([]);
    expect(await page.getByTestId('test-request-status').textContent()).toBe('');
  });

  it('should send the request once the connectors are in', async () => {
    // Act
    release();
    const connector = page.getByLabel('Connector');
    await connector.locator('option').first().waitFor({ state: 'attached' });
    const button = page.getByRole('button', { name: 'Test Request Allocation' });
    await button.click();
    await page.getByTestId('test-request-table').waitFor();

    // Assert
    expect(await button.isEnabled()).toBe(true);
    expect(await page.locator('#test-request-waiting').isHidden()).toBe(true);
    expect(previews.map((r) => (r.postDataJSON() as { connector: string }).connector)).toEqual([
      await connector.inputValue(),
    ]);
    expect(previews[0]?.postDataJSON()).toMatchObject({ connector: expect.stringMatching(/^CP-\d\/1$/) as string });
  });
});
