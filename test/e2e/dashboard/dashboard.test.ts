import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, tabOrder, unnamedControls, WAIT_MS } from '../support/headless-browser';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const ADMIN_PASSWORD = 'correct horse battery staple';
const shot = (page: Page, name: string) => screenshot(page, 'dashboard', name);

/** Waits (bounded) until the locator shows the text. */
const showing = (locator: Locator, text: string | RegExp) => locator.filter({ hasText: text }).waitFor();
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
/** A connector's row, and its "Allocated A" cell, in a table. */
const rowOf = (page: Page, testId: string, ref: string) =>
  page.getByTestId(testId).locator('tbody tr', { hasText: ref });
const allocatedOf = (page: Page, testId: string, ref: string) => rowOf(page, testId, ref).locator('td').nth(6);

async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** True when the page is no wider than its viewport. */
const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe('site dashboard served by the edge agent, in headless Chromium', () => {
  let site: DashboardSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(3), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('should have no default password and set the admin password through the one-time setup link', async () => {
    await page.goto(site.url);
    await page.getByRole('heading', { name: 'Set up the dashboard' }).waitFor();
    await page.getByText('there is no default one').waitFor();

    await page.goto(site.setupUrl);
    await page.getByLabel('New admin password').fill('too short');
    await page.getByLabel('Repeat the password').fill('too short');
    await page.getByLabel('Repeat the password').press('Enter');
    await showing(page.locator('[data-error-for="password"]'), 'must have at least 12 characters');
    expect(await page.getByLabel('New admin password').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '01-setup-error');

    await page.getByLabel('New admin password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
  });

  it('should sign out, refuse a wrong password and sign in again, submitting with Enter', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Password').press('Enter');
    await showing(page.getByTestId('sign-in-status'), 'wrong user name or password');
    await shot(page, '02-sign-in');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
  });

  it('should show the simulated chargers sharing the budget equally and update live without a reload', async () => {
    await showing(allocatedOf(page, 'allocations-table', 'CP-1/1'), exactly('16.0'));
    await showing(allocatedOf(page, 'allocations-table', 'CP-3/1'), exactly('16.0'));
    const cp2 = (await rowOf(page, 'allocations-table', 'CP-2/1').textContent()) ?? '';
    expect(cp2).toContain('127.0.0.1');
    expect(cp2).toContain('Sim-3p-32A');
    expect(cp2).toContain('fair share');
    await showing(page.getByTestId('live-state'), '● live');
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));

    await site.startSession(site.chargers[3]!, 'TAG-2');

    await showing(allocatedOf(page, 'allocations-table', 'CP-4/1'), exactly('12.0'));
    await showing(allocatedOf(page, 'allocations-table', 'CP-1/1'), exactly('12.0'));
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, '03-allocations-live');
  });

  it('should change the distribution mode and watch the allocations table change for the simulated chargers', async () => {
    await openSection(page, 'Load management');
    expect(await unnamedControls(page)).toEqual([]);
    const options = await page.getByLabel('Energy distribution').locator('option').allTextContents();
    expect(options).toContain('Strictly prioritised (lower classes share what is left)');
    await page.getByLabel('Energy distribution').selectOption('priority');
    await page.getByLabel('Budget max').press('Enter');
    await showing(page.getByTestId('policy-status'), 'Saved');
    expect(site.agent.controller.policy.distribution).toBe('priority');
    await shot(page, '04-load-management');

    await openSection(page, 'Allocations');
    // Every car keeps its 6 A minimum; the rest of the 48 A goes to CP-1's priority level first.
    await showing(allocatedOf(page, 'allocations-table', 'CP-1/1'), exactly('30.0'));
    await showing(allocatedOf(page, 'allocations-table', 'CP-2/1'), exactly('6.0'));
    await showing(rowOf(page, 'allocations-table', 'CP-1/1'), 'priority');
  });

  it('should show the error next to the budget field and keep the settings in force', async () => {
    await openSection(page, 'Load management');
    await page.getByLabel('Budget max').fill('-5');
    await showing(page.locator('[data-error-for="budget.max"]'), 'must be more than 0');
    expect(await page.getByLabel('Budget max').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Budget max').press('Enter');
    await showing(page.getByTestId('policy-status'), 'error');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(site.agent.controller.policy.budget.max).toBe(48);
    await shot(page, '05-invalid-budget');
  });

  it('should run a Test Request Allocation without touching the chargers', async () => {
    await site.chargers[3]!.stop();
    await openSection(page, 'Allocations');
    await showing(allocatedOf(page, 'allocations-table', 'CP-4/1'), exactly('0.0'));
    const before = site.agent.controller.allocation;
    const offeredBefore = site.chargers.map((c) => c.offeredAmps);

    await page.getByLabel('Connector').selectOption('CP-4/1');
    await page.getByLabel('Max current (A per phase)').fill('16');
    await page.getByLabel('Max current (A per phase)').press('Enter');
    await showing(page.getByTestId('test-request-status'), 'Test request');

    await showing(rowOf(page, 'test-request-table', 'CP-4/1'), 'test request');
    // The new car gets its 6 A minimum (CP-1's priority level is served first), on paper only.
    await showing(allocatedOf(page, 'test-request-table', 'CP-4/1'), exactly('6.0'));
    expect(site.agent.controller.allocation?.connectors.find((c) => c.ref === 'CP-4/1')?.amps).toBe(0);
    expect(before?.connectors.find((c) => c.ref === 'CP-4/1')?.amps).toBe(0);
    expect(site.chargers[3]!.offeredAmps).toBe(offeredBefore[3]);
    await shot(page, '06-test-request');
  });

  it('should list the chargers in device management and change one from there', async () => {
    await openSection(page, 'Device management');
    const cards = page.getByTestId('chargers').locator('article');
    await showing(cards.first(), '127.0.0.1');
    expect(await cards.count()).toBe(4);
    const cp4 = page.locator('article[data-charger="CP-4"]');
    const text = (await cp4.textContent()) ?? '';
    for (const expected of ['online', 'Ampshare / Sim-3p-32A', '3, rotation L1L2L3', '32 A per phase', '#1 Finishing'])
      expect(text).toContain(expected);
    expect(await unnamedControls(page)).toEqual([]);

    await cp4.getByLabel('New password for CP-4').fill('short');
    await cp4.getByLabel('New password for CP-4').press('Enter');
    await showing(cp4.locator('[data-error-for="password"]'), 'must have at least 16 characters');

    await cp4.getByRole('button', { name: 'Switch CP-4 off' }).click();
    await cp4.getByRole('button', { name: 'Yes, switch CP-4 off' }).click();
    await showing(cp4, 'switched off');
    await showing(page.getByTestId('charger-status-CP-4'), 'the charger accepted being switched off');
    await cp4.getByRole('button', { name: 'Make CP-4 VIP' }).click();
    await showing(page.getByTestId('charger-status-CP-4'), 'now a VIP charger');
    expect(site.agent.controller.policy.vip.connectors).toContain('CP-4/1');
    await shot(page, '07-devices');
  });

  it('should render the monitoring chart, meter health, the cloud link and recent events', async () => {
    await openSection(page, 'Device monitoring');
    await page.locator('[data-testid="load-chart"] svg.load-chart').waitFor();
    expect(await page.locator('svg.load-chart path[data-series="EV L1"]').getAttribute('d')).toMatch(/^M/);
    expect(await page.locator('svg.load-chart path[data-series="Budget"]').getAttribute('d')).toMatch(/^M/);
    await showing(page.getByTestId('cloud-status'), 'No cloud link configured');
    await showing(page.getByTestId('events'), 'connected from 127.0.0.1');
    await page.getByRole('button', { name: 'Last day' }).click();
    await showing(page.getByTestId('monitoring-status'), 'Last day');
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, '08-monitoring');
  });

  it('should mark a connector the site file does not list as adopted on its charger card and in the events', async () => {
    // CP-4 is a dual-socket charger (NumberOfConnectors 2) that the site file lists with one connector.
    await site.chargers[3]!.client.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'NoError',
      status: 'Available',
      timestamp: new Date().toISOString(),
    });
    await openSection(page, 'Device monitoring');
    await showing(page.getByTestId('events'), 'not in the site file: adopted under its charger');
    await openSection(page, 'Device management');
    const cp4 = page.locator('article[data-charger="CP-4"]');
    await showing(cp4.getByRole('list', { name: 'Connectors of CP-4' }), 'not in site file');
    expect(await cp4.getByRole('list', { name: 'Connectors of CP-4' }).textContent()).toContain(
      'add { "id": 2 } to its connectors to make it permanent',
    );
  });

  it('should show this agent as the static master without peers', async () => {
    await openSection(page, 'Cluster settings');
    const facts = (await page.getByTestId('cluster-facts').textContent()) ?? '';
    expect(facts).toContain('MASTER');
    expect(facts).toContain('Static');
    await page.getByTestId('no-peers').waitFor();
    await shot(page, '09-cluster');
  });

  it('should reach the skip link, the sections, the language switch and sign-out with Tab', async () => {
    await page.goto(`${site.url}#/allocations`);
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await skip.focus();
    expect(await tabOrder(page, 12)).toEqual([
      'Cluster settings',
      'Network management',
      'Device management',
      'Load management',
      'Allocations',
      'Device monitoring',
      'CSMS link',
      'Site setup',
      'Peak demand',
      'Charger configuration',
      'Language',
      'Sign out',
    ]);
    await skip.focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    expect(await tabOrder(page, 1)).toEqual(['Refresh']);
  });

  it('should fit a phone screen without sideways scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await phone.context().addCookies(await page.context().cookies());
      for (const [route, title] of [
        ['allocations', 'Allocations'],
        ['devices', 'Device management'],
        ['load', 'Load management'],
        ['monitoring', 'Device monitoring'],
        ['cluster', 'Cluster settings'],
        ['network', 'Network management'],
        ['site', 'Site setup'],
        ['demand', 'Peak demand'],
      ] as const) {
        await phone.goto(`${site.url}#/${route}`);
        await phone.getByRole('heading', { level: 1, name: title }).waitFor();
        await phone.locator('main .card').first().waitFor();
        expect({ route, fits: await fitsWidth(phone) }).toEqual({ route, fits: true });
        await screenshot(phone, 'dashboard', `10-phone-${route}`);
      }
    } finally {
      await phone.close();
    }
  });
});
