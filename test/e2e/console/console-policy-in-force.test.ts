/**
 * Issue 12, finding 4: the fleet console edits the policy the site runs. A real agent runs 30 kW dynamic with closed
 * loop and a VIP tag from its configuration (the cloud never pushed one); the console's editor starts from that
 * policy, shows the change field by field before pushing, and asks before a push that lowers protection.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../cloud/local/start-local-cloud';
import type { PolicyInput } from '../../../shared/policy/policy-schema';
import { api } from '../../integration/cloud/local/local-cloud-kit';
import { untilCloud, type SyncedEdge } from '../../integration/edge/support/synced-edge';
import { screenshot } from '../support/headless-browser';
import { startLiveConsole, type LiveConsole } from './support/live-console';

const RUNNING: Partial<PolicyInput> = {
  budget: { unit: 'kW', min: 0, max: 30 },
  control: { mode: 'dynamic', gridLimitAmps: 63 },
  closedLoop: { enabled: true },
  vip: { enabled: true, idTags: ['VIP-7'] },
};

describe('fleet console: the policy editor starts from the policy the site runs', () => {
  let cloud: LocalCloud;
  let edge: SyncedEdge;
  let page: Page;
  let live: LiveConsole | undefined;
  const policyView = async () =>
    (await (await api(cloud, `/sites/${cloud.demo.siteId}/policy`)).json()) as {
      desired: unknown;
      inForce: { source: string } | null;
    };

  beforeAll(async () => {
    live = await startLiveConsole({ chargers: 2, policy: RUNNING }, async (started) => {
      cloud = started;
      await untilCloud(cloud, 'the site reports the policy it runs', async () => (await policyView()).inForce !== null);
    });
    ({ cloud, edge, page } = live);
  });
  afterAll(() => live?.close());

  /**
   * The status says the push was saved, and a moment later that the site reports it: a watch still running from the
   * page load can replace the first with the second before the browser is looked at again, so either counts.
   */
  const savedOrReported = (version: number) =>
    page
      .getByTestId('policy-status')
      .filter({ hasText: new RegExp(`Saved version ${version};|The site reports version ${version} applied`) })
      .waitFor();

  it("should fill the editor with the site's running policy, not the defaults", async () => {
    await page.goto(`${cloud.consoleUrl}#/sites/${cloud.demo.siteId}/policy`);
    await page
      .getByTestId('policy-status')
      .filter({
        hasText: 'Editing the policy the site runs: from its configuration file (the cloud never pushed one).',
      })
      .waitFor();
    expect(await page.getByTestId('running-policy').textContent()).toBe(
      'from its configuration file (the cloud never pushed one)',
    );
    expect(await page.getByLabel('Budget unit').inputValue()).toBe('kW');
    expect(await page.getByLabel('Budget max').inputValue()).toBe('30');
    expect(await page.getByLabel('Load management').inputValue()).toBe('dynamic');
    expect(await page.getByLabel('Grid limit (A per phase)').inputValue()).toBe('63');
    expect(await page.getByLabel('Closed loop (limit cars to what they draw)').isChecked()).toBe(true);
    expect(await page.getByLabel('VIP id tags').inputValue()).toBe('VIP-7');
    await screenshot(page, 'console', '11-policy-in-force');
  });

  it('should show the change field by field and ask before a push that turns dynamic protection off', async () => {
    await page.getByLabel('Load management').selectOption('static');
    await page.getByRole('button', { name: 'Save and push to site' }).click();

    const review = page.getByTestId('push-review');
    await review.waitFor();
    const changes = review.getByTestId('policy-changes');
    expect(await changes.locator('tr', { hasText: 'Load management' }).textContent()).toMatch(/dynamic.*static/);
    // Static has no grid limit, margin or lost-meter settings: each shows as a change of its own.
    expect(await changes.locator('tbody tr').count()).toBe(5);
    expect(await changes.locator('tr', { hasText: 'Grid limit (A per phase)' }).textContent()).toMatch(/63.*not set/);
    expect(await review.getByTestId('protection-warning').textContent()).toContain(
      'dynamic grid protection switched off',
    );
    const push = review.getByRole('button', { name: 'Confirm and push' });
    expect(await push.isDisabled()).toBe(true);
    await screenshot(page, 'console', '12-policy-lowering-confirm');
    expect((await policyView()).desired).toBeNull();

    await review.getByLabel("I understand that this change lowers the site's protection").check();
    await push.click();
    await savedOrReported(1);
    await page.getByTestId('applied-version').filter({ hasText: 'v1 applied' }).waitFor();
    expect(edge.agent.controller.policy.control.mode).toBe('static');
    expect(edge.agent.controller.policy.vip.idTags).toEqual(['VIP-7']);
  });

  it('should push a change that keeps protection after showing it, without the extra confirmation', async () => {
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByTestId('policy-status').filter({ hasText: 'Editing the policy the site runs' }).waitFor();
    expect(await page.getByLabel('Load management').inputValue()).toBe('static');
    await page.getByLabel('Budget max').fill('25');
    await page.getByRole('button', { name: 'Save and push to site' }).click();

    const review = page.getByTestId('push-review');
    expect(await review.getByTestId('policy-changes').locator('tr', { hasText: 'Budget max' }).textContent()).toMatch(
      /30.*25/,
    );
    expect(await review.getByTestId('protection-warning').count()).toBe(0);
    await review.getByRole('button', { name: 'Confirm and push' }).click();
    await savedOrReported(2);
    await page.getByTestId('applied-version').filter({ hasText: 'v2 applied' }).waitFor();
  });

  it("should start a rollout from a site's running policy and ask before lowering any target's protection", async () => {
    await page.getByRole('link', { name: 'Rollout' }).click();
    await page.getByRole('heading', { name: 'Policy rollout' }).waitFor();
    await page.getByRole('group', { name: 'Sites to update' }).getByLabel(new RegExp(cloud.demo.siteId)).check();
    // The first site is the default starting point: no defaults by accident.
    await page
      .getByTestId('rollout-status')
      .filter({ hasText: `Starting from the policy ${cloud.demo.siteId} runs.` })
      .waitFor();
    expect(await page.getByLabel('Start from the policy of').inputValue()).toBe(cloud.demo.siteId);
    expect(await page.getByLabel('Budget max').inputValue()).toBe('25');
    await page.getByLabel('Fail-safe current per charger (A)').fill('16');
    await page.getByRole('button', { name: 'Roll out to selected sites' }).click();

    const review = page.getByTestId('push-review');
    await review.waitFor();
    expect(await review.getByTestId('protection-warning').textContent()).toContain(
      'fail-safe current per charger raised from 6 A to 16 A',
    );
    expect(await review.getByRole('button', { name: 'Confirm and push' }).isDisabled()).toBe(true);
    await review.getByLabel("I understand that this change lowers the site's protection").check();
    await review.getByRole('button', { name: 'Confirm and push' }).click();
    await page.getByTestId('rollout-status').filter({ hasText: 'Rollout done: 1 of 1 sites updated.' }).waitFor();
  });
});
