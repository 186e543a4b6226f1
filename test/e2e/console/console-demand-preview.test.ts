/**
 * Issue 18: peak-demand control in the console's policy editor and allocation preview, in headless Chromium against
 * the local stack (DynamoDB Local): the editor shows the policy's demand-control section and keeps it when saving, and
 * the preview takes where a demand period stands and shows the chargers' cap the target leaves them, with the
 * allocation under it (the cloud computes it with the shared `demand-preview.ts`).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../../shared/policy/policy-schema';
import { screenshot, unnamedControls } from '../support/headless-browser';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

const DEMAND_POLICY: PolicyInput = {
  $schemaVersion: 1,
  budget: { unit: 'A', min: 0, max: 63 },
  control: { mode: 'dynamic', safetyMarginAmps: 2, staleMeter: { afterSeconds: 10, fallbackAmps: 16 } },
  demandControl: { enabled: true, periodMinutes: 15, targetKw: 30, marginKw: 0.5 },
};

describe('fleet console: peak-demand control in the policy editor and the allocation preview, in headless Chromium', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ locale: 'en-US', seed: seedDemandPolicy });
    ({ stack, page } = started);
  });

  /** depot-3 has no policy yet: its first one enables demand control. */
  async function seedDemandPolicy(stack: ConsoleStack): Promise<void> {
    const put = await stack.api('/sites/depot-3/policy', {
      method: 'PUT',
      headers: { 'If-Match': '"0"' },
      body: DEMAND_POLICY,
    });
    expect(put.status).toBe(200);
    await stack.local.repositories.policies.putApplied({
      tenantId: stack.tenantId,
      siteId: 'depot-3',
      version: 1,
      status: 'applied',
      reportedAt: Date.now(),
    });
  }
  afterAll(() => stopSeededConsole(started));

  it("should show the policy's demand-control section in the editor", async () => {
    await page.goto(`${stack.consoleUrl}#/sites/depot-3/policy`);
    const target = page.getByLabel('Demand target (kW)');
    await expect.poll(() => target.inputValue()).toBe('30');
    expect(await page.getByLabel('Peak-demand control').isChecked()).toBe(true);
    expect(await page.getByLabel('Demand period', { exact: true }).inputValue()).toBe('15');
    expect(await page.getByLabel('Demand margin (kW)').inputValue()).toBe('0.5');
    expect(await page.getByLabel("Follow the month's peak").isChecked()).toBe(false);
    expect(await unnamedControls(page)).toEqual([]);
  });

  it("should preview the chargers' cap where a demand period stands, and the allocation under it", async () => {
    // Arrange: a car already charging on CP-1/1, the new one on CP-2/1, 10 minutes into the period at 28 kW so far
    await page.getByLabel('Connector for the new car').selectOption('CP-2/1');
    await page.getByRole('group', { name: 'Cars already charging' }).getByLabel('CP-1/1').check();
    await page.getByLabel('Preview within a demand period').check();
    await page.getByLabel('Average import so far (kW)').fill('28');
    await page.getByLabel('Time into the period (min)').fill('10');
    await page.getByLabel('Other load until the period ends (kW)').fill('20');

    // Act
    await page.getByRole('button', { name: 'Test request allocation' }).click();
    await page.getByTestId('preview-status').filter({ hasText: 'Preview ready' }).waitFor();

    // Assert: 29.5 kW x 15 min allowed, 28 kW x 10 min imported and 20 kW x 5 min to come leave 12.5 kW for 5 minutes
    expect(await page.getByTestId('preview-demand').textContent()).toBe(
      'Peak demand: target 30.0 kW; 10:00 into the 15-min period at 28.0 kW so far, other load 20.0 kW: the chargers get at most 12.5 kW for the rest of the period (forecast 29.5 kW).',
    );
    // 12.5 kW is 18.1 A per phase at 230 V, shared by the two cars
    const allocated = await page
      .getByTestId('allocation-table')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => Number(row.children[2]?.textContent)));
    expect(allocated).toHaveLength(2);
    expect(allocated[0]! + allocated[1]!).toBeLessThanOrEqual(18.2);
    expect(Math.min(...allocated)).toBeGreaterThan(0);
    await page.getByTestId('preview-result').scrollIntoViewIfNeeded();
    await screenshot(page, 'console', '41-demand-preview');
  });

  it('should refuse a time past the period with the field named, and preview without a demand period when unticked', async () => {
    await page.getByLabel('Time into the period (min)').fill('15');
    await page.getByRole('button', { name: 'Test request allocation' }).click();
    await page
      .getByTestId('preview-status')
      .filter({ hasText: "demand.secondsIntoPeriod: the policy's period lasts 900 s" })
      .waitFor();

    await page.getByLabel('Preview within a demand period').uncheck();
    await page.getByRole('button', { name: 'Test request allocation' }).click();
    await page.getByTestId('preview-status').filter({ hasText: 'Preview ready' }).waitFor();
    expect(await page.getByTestId('preview-demand').count()).toBe(0);
  });

  it('should keep the demand-control section when the edited policy is saved', async () => {
    await page.getByRole('button', { name: 'Save and push to site' }).click();
    await page.getByTestId('push-review').getByText('No change from the policy depot-3 runs.').waitFor();
    await page.getByRole('button', { name: 'Confirm and push' }).click();
    await page.getByTestId('policy-status').filter({ hasText: 'Saved version 2' }).waitFor();
    const saved = (await (await stack.api('/sites/depot-3/policy')).json()) as {
      desired: { version: number; policy: { demandControl: object } };
    };
    expect(saved.desired.policy.demandControl).toEqual({
      enabled: true,
      periodMinutes: 15,
      targetKw: 30,
      followMonthPeak: false,
      floorKw: 2.5,
      marginKw: 0.5,
    });
  });
});
