/**
 * Issue 12, finding 3, in the console: two tenants each own a site called `demo-site`. Tenant A's operator looks at
 * theirs (its sessions with an RFID tag, its events, its policy, online), signs out, and tenant B's operator signs
 * in on the same browser: B's console shows B's site only, with none of A's sessions, events, policy or connectivity.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../cloud/local/start-local-cloud';
import { api } from '../../integration/cloud/local/local-cloud-kit';
import { policyInput, siteInput } from '../../integration/cloud/support/fleet-builders';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { signIn } from './support/console-sign-in';

const SITE = 'demo-site';
const TENANT_B = 'tenant-b';
const A_TAG = 'A-RFID-0001';
const A_EVENT = 'CP-1 of tenant A reports GroundFailure';
const B_EVENT = 'tenant B agent started';

describe('fleet console: two tenants with a site of the same id', () => {
  let cloud: LocalCloud;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [cloud, browser] = await Promise.all([startLocalCloud({ apiPort: 0, mqttPort: 0 }), launchBrowser()]);
    const now = Date.now();
    const tenantA = cloud.demo.tenantId;
    const { repositories } = cloud;
    await repositories.tenants.put({ id: TENANT_B, name: 'Tenant B', status: 'active', createdAt: now });
    const tokenB = await cloud.tokens.issue({ tenantId: TENANT_B });
    const asB = { Authorization: `Bearer ${tokenB}` };
    expect((await api(cloud, '/sites', { method: 'POST', body: siteInput(SITE), headers: asB })).status).toBe(201);
    expect(
      (await api(cloud, `/sites/${SITE}/policy?expectedVersion=0`, { method: 'PUT', body: policyInput(41) })).status,
    ).toBe(200);
    await repositories.sites.setConnectivity(tenantA, SITE, { state: 'online', since: now - 60_000 });
    await repositories.sessions.put({
      tenantId: tenantA,
      siteId: SITE,
      sessionId: 'a-session',
      connector: 'CP-1/1',
      idTag: A_TAG,
      startedAt: now - 600_000,
      energyWh: 4_200,
    });
    await repositories.events.put([
      {
        tenantId: tenantA,
        siteId: SITE,
        eventId: 'a-event',
        at: now - 300_000,
        type: 'charger.faulted',
        severity: 'error',
        message: A_EVENT,
      },
      {
        tenantId: TENANT_B,
        siteId: SITE,
        eventId: 'b-event',
        at: now - 200_000,
        type: 'agent.started',
        severity: 'info',
        message: B_EVENT,
      },
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it("should show tenant A its own site's sessions, events, policy and connectivity", async () => {
    await signIn(page, cloud.consoleUrl, cloud.demo.tenantId);
    await page
      .getByTestId('sites-table')
      .locator('tbody tr', { hasText: SITE })
      .filter({ hasText: 'online' })
      .waitFor();
    await page.goto(`${cloud.consoleUrl}#/sites/${SITE}`);
    await page.getByTestId('events-table').filter({ hasText: A_EVENT }).waitFor();
    expect(await page.getByTestId('sessions-table').textContent()).toContain(A_TAG);
    await page.goto(`${cloud.consoleUrl}#/sites/${SITE}/policy`);
    await expect.poll(() => page.getByLabel('Budget max').inputValue()).toBe('41');
  });

  it("should show tenant B, signed in after A on the same browser, its own site and nothing of A's", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, cloud.consoleUrl, TENANT_B);

    const rows = page.getByTestId('sites-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(SITE);
    expect(await rows.first().textContent()).not.toContain('online');
    await page.goto(`${cloud.consoleUrl}#/sites/${SITE}`);
    await page.getByTestId('events-table').filter({ hasText: B_EVENT }).waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain(A_EVENT);
    expect(text).not.toContain(A_TAG);
    expect(await page.getByTestId('desired-version').textContent()).toBe('none');
    await page.goto(`${cloud.consoleUrl}#/sites/${SITE}/policy`);
    await page.getByLabel('Budget max').waitFor();
    expect(await page.getByLabel('Budget max').inputValue()).not.toBe('41');
  });
});
