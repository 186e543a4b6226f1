import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, tabOrder, unnamedControls } from '../support/headless-browser';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';
import { policyInput } from './support/fleet-seed';

describe('fleet console: policy editor, allocation preview, push and rollout in headless Chromium', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;
  const status = (testId: string) => page.getByTestId(testId);

  beforeAll(async () => {
    started = await startSeededConsole();
    ({ stack, page } = started);
  });
  afterAll(() => stopSeededConsole(started));

  it('should show every policy field labelled and put a schema error next to its field, refusing to save', async () => {
    await page.goto(`${stack.consoleUrl}#/sites/depot-1/policy`);
    // The site runs version 1 (it reported it applied); version 2 is pushed but not applied yet.
    await status('policy-status')
      .filter({
        hasText:
          'Editing the policy the site runs: version 1, pushed and applied. Pushed version 2 is not what it runs.',
      })
      .waitFor();
    expect(await page.getByLabel('Budget max').inputValue()).toBe('40');
    await page.getByRole('button', { name: 'Edit pushed version 2 instead' }).click();
    expect(await page.getByLabel('Budget max').inputValue()).toBe('48');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByLabel('Load management').focus();
    expect(await tabOrder(page, 1)).toEqual(['Fail-safe current per charger (A)']);
    await screenshot(page, 'console', '05-policy');

    await page.getByLabel('Budget min').fill('60');
    const error = page.locator('[data-error-for="budget.min"]');
    await expect.poll(() => error.textContent()).toContain('min 60 is above max 48');
    expect(await page.getByLabel('Budget min').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save and push to site' }).isDisabled()).toBe(true);
    await error.scrollIntoViewIfNeeded();
    await screenshot(page, 'console', '06-policy-invalid-budget');

    await page.getByLabel('Budget min').fill('0');
    await expect.poll(() => error.isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save and push to site' }).isDisabled()).toBe(false);
  });

  it('should preview what a new car would get, connector by connector, with the reason', async () => {
    await page.getByLabel('Budget max').fill('40');
    await page.getByLabel('Connector for the new car').selectOption('CP-2/1');
    // The site's open session on CP-1/1 is a car charging now: the preview starts with it ticked (issue 16).
    const charging = page.getByRole('group', { name: 'Cars already charging' });
    await expect.poll(() => charging.getByLabel('CP-1/1').isChecked()).toBe(true);
    expect(await charging.getByLabel('CP-2/1').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Test request allocation' }).click();
    await status('preview-status').filter({ hasText: 'Preview ready' }).waitFor();
    const table = page.getByTestId('allocation-table');
    expect(await table.locator('tbody tr').count()).toBe(2);
    const newCar = table.locator('tr', { hasText: 'new car' });
    expect(await newCar.textContent()).toContain('CP-2/1');
    expect(await newCar.textContent()).toContain('20.0');
    expect(await newCar.textContent()).toContain('fair share');
    expect(await status('preview-result').textContent()).toContain("Budget 40 A (the policy's budget)");
    await page.getByTestId('preview-result').scrollIntoViewIfNeeded();
    await screenshot(page, 'console', '07-allocation-preview');
  });

  it('should push a valid policy with If-Match, after a review against what the site runs, and show the new desired version', async () => {
    await page.getByRole('button', { name: 'Save and push to site' }).click();
    await page.getByTestId('push-review').getByText('No change from the policy depot-1 runs.').waitFor();
    await page.getByRole('button', { name: 'Confirm and push' }).click();
    await status('policy-status').filter({ hasText: 'Saved version 3' }).waitFor();
    await expect.poll(() => page.getByTestId('desired-version').textContent()).toBe('v3');
    const saved = (await (await stack.api('/sites/depot-1/policy')).json()) as {
      desired: { version: number; policy: { budget: { max: number } } };
    };
    expect(saved.desired).toMatchObject({ version: 3, policy: { budget: { max: 40 } } });
  });

  it('should tell the user to reload when someone else changed the policy meanwhile (409)', async () => {
    expect(
      (
        await stack.api('/sites/depot-1/policy', {
          method: 'PUT',
          headers: { 'If-Match': '"3"' },
          body: policyInput(44),
        })
      ).status,
    ).toBe(200);
    await page.getByLabel('Budget max').fill('42');
    await page.getByRole('button', { name: 'Save and push to site' }).click();
    // 40 A runs: a larger budget needs the confirmation.
    await page.getByLabel("I understand that this change lowers the site's protection").check();
    await page.getByRole('button', { name: 'Confirm and push' }).click();
    await status('policy-status').filter({ hasText: 'Someone else changed this policy' }).waitFor();
    await screenshot(page, 'console', '08-policy-conflict');
    await page.getByRole('button', { name: 'Reload' }).click();
    await status('policy-status').filter({ hasText: 'Pushed version 4 is not what it runs.' }).waitFor();
    await page.getByRole('button', { name: 'Edit pushed version 4 instead' }).click();
    expect(await page.getByLabel('Budget max').inputValue()).toBe('44');
  });

  it('should roll a policy out to two sites and show the status of each', async () => {
    await page.getByRole('link', { name: 'Rollout' }).click();
    await page.getByRole('heading', { name: 'Policy rollout' }).waitFor();
    const sites = page.getByRole('group', { name: 'Sites to update' });
    await sites.getByLabel('Depot South (depot-2)').check();
    await sites.getByLabel('Office Garage (depot-3)').check();
    await page.getByLabel('Start from the policy of').selectOption('depot-1');
    await status('rollout-status').filter({ hasText: 'Starting from the policy depot-1 runs.' }).waitFor();
    expect(await page.getByLabel('Budget max').inputValue()).toBe('40');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Roll out to selected sites' }).click();
    // depot-2 runs 32 A (a larger budget) and depot-3 never reported: both need the confirmation.
    const warning = page.getByTestId('push-review').getByTestId('protection-warning');
    expect(await warning.textContent()).toContain('depot-2: budget raised from 32 A to 40 A');
    expect(await warning.textContent()).toContain('depot-3: the policy it runs is unknown');
    await page.getByLabel("I understand that this change lowers the site's protection").check();
    await page.getByRole('button', { name: 'Confirm and push' }).click();
    await status('rollout-status').filter({ hasText: 'Rollout done: 2 of 2 sites updated.' }).waitFor();
    const rows = page.getByTestId('rollout-results').locator('tbody tr');
    expect(await rows.filter({ hasText: 'depot-2' }).textContent()).toMatch(/updated.*v2.*skipped/);
    expect(await rows.filter({ hasText: 'depot-3' }).textContent()).toMatch(/updated.*v1.*skipped/);
    await screenshot(page, 'console', '09-rollout');

    await page.getByRole('link', { name: 'Sites' }).click();
    const garage = page.getByTestId('sites-table').locator('tbody tr', { hasText: 'Office Garage' });
    await expect.poll(() => garage.textContent()).toContain('desired v1');
  });
});
