import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, tabOrder, unnamedControls, WAIT_MS } from '../support/headless-browser';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

describe('fleet console: sign-in, sites list and site page in headless Chromium', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ signIn: false });
    ({ stack, page } = started);
  });
  afterAll(() => stopSeededConsole(started));

  it('should sign in through the local token issuer with labelled, keyboard-reachable controls', async () => {
    await page.goto(stack.consoleUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    const reached = await tabOrder(page, 6);
    expect(reached).toEqual(
      expect.arrayContaining(['Tenant id', 'Sign in as tenant', 'Access token (JWT)', 'Sign in with token']),
    );
    await screenshot(page, 'console', '01-login');

    await page.getByLabel('Tenant id').fill(stack.tenantId);
    await page.getByRole('button', { name: 'Sign in as tenant' }).click();
    await page.getByRole('heading', { name: 'Sites' }).waitFor();
  });

  it('should list the sites with connectivity, policy versions, load against budget and alerts', async () => {
    const rows = page.getByTestId('sites-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(3);
    await page.getByRole('status').filter({ hasText: '3 sites loaded.' }).waitFor();
    const north = rows.filter({ hasText: 'Depot North' });
    await expect.poll(() => north.textContent()).toContain('desired v2 · applied v1');
    expect(await north.textContent()).toContain('online');
    // Against the budget the site runs (version 1, 40 A), not the pushed version 2 it has not applied.
    expect(await north.textContent()).toMatch(/\d+\.\d \/ 40 A/);
    expect(await north.textContent()).toContain('1 critical');
    expect(await rows.filter({ hasText: 'Depot South' }).textContent()).toMatch(/desired v1 · applied v1 in sync/);
    expect(await rows.filter({ hasText: 'Office Garage' }).textContent()).toContain('no policy');
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, 'console', '02-sites');

    await page.getByLabel('Search').fill('south');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Connectivity').selectOption('offline');
    await expect.poll(() => rows.textContent()).toContain('Depot South');
    expect(await rows.count()).toBe(1);
    await page.getByLabel('Connectivity').selectOption('all');
    await page.getByLabel('Show').selectOption('alerts');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.textContent()).toContain('Depot North');
    await page.getByLabel('Show').selectOption('all');
  });

  it('should fit a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await screenshot(page, 'console', '03-sites-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('should show a site with its load chart, chargers, sessions and events', async () => {
    await page.getByRole('link', { name: /Depot North/ }).click();
    await page.getByRole('heading', { name: 'Site depot-1' }).waitFor();
    const chart = page.getByTestId('load-chart').locator('svg');
    await chart.waitFor();
    for (const series of ['Grid L1', 'Grid L2', 'Grid L3', 'EV L1', 'EV L2', 'EV L3', 'Budget', 'Fuse limit']) {
      expect(await chart.locator(`path[data-series="${series}"]`).getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    }
    expect(await chart.getAttribute('aria-label')).toContain('Grid L1: latest');

    const chargers = page.getByTestId('chargers-table');
    expect(await chargers.locator('tr', { hasText: 'CP-1' }).textContent()).toContain('charging');
    expect(await chargers.locator('tr', { hasText: 'CP-2' }).textContent()).toContain('GroundFailure');
    expect(await page.getByTestId('sessions-table').textContent()).toContain('FLEET-07');
    expect(await page.getByTestId('events-table').textContent()).toContain('charger fault');
    expect(await page.getByTestId('desired-version').textContent()).toBe('v2');
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, 'console', '04-site');

    await page.getByRole('button', { name: 'Last day' }).click();
    await page.getByRole('status').filter({ hasText: 'Last day:' }).waitFor();
    expect(await page.getByRole('button', { name: 'Last day' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('heading', { name: 'Site depot-1' }).focus();
    expect(await tabOrder(page, 4)).toEqual(expect.arrayContaining(['Overview', 'Policy', 'Last hour', 'Last day']));
  });

  it("should clear a charger's fault once it recovers and show a charger offline after it disconnects", async () => {
    const { tenantId } = stack;
    const now = Date.now();
    await stack.local.repositories.events.put([
      {
        tenantId,
        siteId: 'depot-1',
        eventId: 'e3',
        at: now - 600_000,
        type: 'charger.recovered',
        severity: 'info',
        message: 'charger CP-2 connector 1 recovered (Available)',
        data: { chargerId: 'CP-2', connectorId: 1 },
      },
      {
        tenantId,
        siteId: 'depot-1',
        eventId: 'e4',
        at: now - 300_000,
        type: 'charger.disconnected',
        severity: 'warning',
        message: 'charger CP-1 disconnected (code 1006)',
        data: { chargerId: 'CP-1', code: 1006 },
      },
    ]);
    await page.reload();
    const chargers = page.getByTestId('chargers-table');
    await chargers.waitFor();
    expect(await chargers.locator('tr', { hasText: 'CP-2' }).textContent()).not.toContain('GroundFailure');
    expect(await chargers.locator('tr', { hasText: 'CP-1' }).textContent()).toContain('offline');
  });
});
