/**
 * Issue 12, findings 4 and 7, as a fleet operator sees a live site: a real agent whose policy the cloud never pushed
 * sends telemetry, a charging session and charger lifecycle events; the sites list shows its EV load (not "no recent
 * telemetry"), the site's sessions show the energy so far (not 0.00 kWh) and its events show the charger's lifecycle,
 * in German on a German page (issue 16: from the reasons the agent's events carry).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../cloud/local/start-local-cloud';
import { untilCloud } from '../../integration/edge/support/synced-edge';
import { screenshot } from '../support/headless-browser';
import { startLiveConsole, type LiveConsole } from './support/live-console';

describe('fleet console: a live site as it is', () => {
  let cloud: LocalCloud;
  let page: Page;
  let live: LiveConsole | undefined;

  beforeAll(async () => {
    live = await startLiveConsole({ chargers: 1 }, async (started, agent) => {
      await agent.startSession(await agent.charger('CP-1'));
      const { tenantId, siteId } = started.demo;
      // Enough energy to show in kWh with two decimals, and telemetry of the last minutes.
      await untilCloud(
        started,
        'a charging session with 10 Wh or more',
        async () => {
          const sessions = await started.repositories.sessions.list(tenantId, siteId, {
            from: 0,
            to: Date.now() + 60_000,
            limit: 10,
          });
          return sessions.items.some((s) => s.stoppedAt === undefined && s.energyWh >= 10);
        },
        30_000,
      );
    });
    ({ cloud, page } = live);
  }, 60_000);
  afterAll(() => live?.close());

  it("should show the site's EV load against the budget it runs while telemetry arrives", async () => {
    const row = page.getByTestId('sites-table').locator('tbody tr', { hasText: cloud.demo.siteId });
    await expect.poll(() => row.textContent()).toMatch(/\d+\.\d \/ 48 A/);
    expect(await row.textContent()).not.toContain('no recent telemetry');
  });

  it('should show the energy so far of a charging session, and the charger lifecycle in the events', async () => {
    await page.goto(`${cloud.consoleUrl}#/sites/${cloud.demo.siteId}`);
    const session = page.getByTestId('sessions-table').locator('tbody tr', { hasText: 'CP-1/1' });
    await session.waitFor();
    expect(await session.textContent()).toContain('charging');
    const energy = Number(await session.locator('td[data-label="Energy kWh"]').textContent());
    expect(energy).toBeGreaterThan(0);
    const events = page.getByTestId('events-table');
    expect(await events.textContent()).toContain('charger connected');
    expect(await events.textContent()).toContain('charger booted');
    await screenshot(page, 'console', '13-live-site');
  });

  it("should say the live agent's charger events in German on a German page, from the reasons they carry", async () => {
    // Arrange: the page in German (the choice is kept in localStorage; the token stays in the tab's sessionStorage)
    await page.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));
    await page.goto(`${cloud.consoleUrl}#/sites/${cloud.demo.siteId}`);
    await page.reload();
    const events = page.getByTestId('events-table');

    // Act: through the real chain (agent, outbox, MQTT, ingest, DynamoDB Local, API)
    await events.filter({ hasText: /Ladepunkt CP-1 verbunden/ }).waitFor();
    const text = await events.textContent();
    const marked = await page.locator('main [lang="en"]').allTextContents();
    await page.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));

    // Assert: before, the agent's English messages, marked English
    expect(text).toMatch(/Ladepunkt CP-1 gestartet: \S/);
    expect(marked).toEqual([]);
  });
});
