/**
 * The fleet console against the whole local cloud and a real edge agent synced with it: a policy pushed from the
 * console reaches the agent through the shadow, and the page shows the version the site reports as applied, without
 * a reload; the site's connectivity follows the agent's connection to the broker.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../cloud/local/start-local-cloud';
import type { SyncedEdge } from '../../integration/edge/support/synced-edge';
import { screenshot, WAIT_MS } from '../support/headless-browser';
import { startLiveConsole, type LiveConsole } from './support/live-console';

describe('fleet console: push a policy to a live site and see it applied', () => {
  let cloud: LocalCloud;
  let edge: SyncedEdge;
  let page: Page;
  let live: LiveConsole | undefined;

  beforeAll(async () => {
    live = await startLiveConsole({ chargers: 2 });
    ({ cloud, edge, page } = live);
  });
  afterAll(() => live?.close());

  it('should show the applied version update once the agent applies the pushed policy', async () => {
    await page.goto(`${cloud.consoleUrl}#/sites/${cloud.demo.siteId}/policy`);
    await page.getByRole('heading', { name: 'Policy editor' }).waitFor();
    await page.getByLabel('Budget unit').selectOption('A');
    await page.getByLabel('Budget min').fill('6');
    await page.getByLabel('Budget max').fill('40');
    await page.getByRole('button', { name: 'Save and push to site' }).click();
    await page.getByRole('button', { name: 'Confirm and push' }).click();
    await page.getByTestId('policy-status').filter({ hasText: 'Saved version 1' }).waitFor();

    // The agent applies it and reports through the shadow; the page reads the report on its own.
    await page.getByTestId('applied-version').filter({ hasText: 'v1 applied' }).waitFor();
    expect(await page.getByTestId('applied-version').textContent()).toContain('in sync');
    await page.getByTestId('policy-status').filter({ hasText: 'The site reports version 1 applied' }).waitFor();
    expect(edge.agent.controller.policy.budget).toMatchObject({ unit: 'A', max: 40 });
    await screenshot(page, 'console', '10-policy-applied');
  });

  it('should list the site under Online while its agent is connected and under Offline once the broker loses it', async () => {
    const caption = page.getByTestId('sites-table').locator('caption');
    /** Loads the sites page afresh and counts the sites the Connectivity filter keeps (the caption: "<shown> of <all> sites"). */
    const sitesUnder = async (connectivity: 'online' | 'offline') => {
      await page.goto(`${cloud.consoleUrl}#/sites`);
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'loaded' }).waitFor();
      await page.getByLabel('Connectivity').selectOption(connectivity);
      return Number(/^(\d+) of/.exec((await caption.textContent()) ?? '')?.[1]);
    };

    await expect.poll(() => sitesUnder('online'), { timeout: WAIT_MS }).toBe(1);
    expect(await sitesUnder('offline')).toBe(0);

    await cloud.broker.stopListening();
    try {
      await expect.poll(() => sitesUnder('offline'), { timeout: WAIT_MS }).toBe(1);
      expect(await sitesUnder('online')).toBe(0);
      await screenshot(page, 'console', '11-site-offline');
    } finally {
      await cloud.broker.listen();
    }
    await expect.poll(() => sitesUnder('online'), { timeout: WAIT_MS }).toBe(1);
  });
});
