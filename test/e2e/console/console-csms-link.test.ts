/**
 * The sites list's CSMS link column (docs/csms.md, "On the dashboard and in the fleet"): a site in front of an
 * operator's CSMS shows its chargers' links and its backlog from its latest telemetry sample; a site without one says so.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, WAIT_MS } from '../support/headless-browser';
import { signIn } from './support/console-sign-in';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

describe('fleet console: the CSMS link column of the sites list in headless Chromium', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ signIn: false, seed: seedCsmsLink });
    ({ stack, page } = started);
  });

  /** depot-2's gateway sits in front of a CSMS: one link of 32 down, 120 messages queued for 14 minutes. */
  async function seedCsmsLink(stack: ConsoleStack, now: number): Promise<void> {
    await stack.local.repositories.telemetry.put([
      {
        tenantId: stack.tenantId,
        siteId: 'depot-2',
        at: now - 30_000,
        messageId: 'csms-1',
        activeConnectors: 0,
        csms: {
          chargers: 32,
          connected: 31,
          backlogMessages: 120,
          oldestQueuedAt: now - 14 * 60_000 - 5_000,
          setAside: 2,
        },
      },
    ]);
  }

  afterAll(() => stopSeededConsole(started));

  it("should show a site's CSMS links and backlog, and that a site without a CSMS has none", async () => {
    await signIn(page, stack.consoleUrl, stack.tenantId);
    const rows = page.getByTestId('sites-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(3);

    const south = rows.filter({ hasText: 'Depot South' });
    await expect.poll(() => south.textContent(), { timeout: WAIT_MS }).toContain('31 / 32 linked');
    expect(await south.textContent()).toContain('120 queued, oldest 14 min · 2 set aside');
    // Not all linked: a warning, in text and not colour alone
    expect(await south.locator('.csms-link .badge-warn').textContent()).toBe('31 / 32 linked');
    await expect.poll(() => rows.filter({ hasText: 'Depot North' }).textContent()).toContain('no operator CSMS');
    await screenshot(page, 'console', '10-sites-csms-link');
  });
});
