/**
 * The dashboard's "CSMS link" section in headless Chromium, on an agent in front of @voltbras/ts-ocpp's CSMS: a
 * charger's link shown connected, then, once the CSMS goes away and a transaction runs without it, not connected with
 * its queued messages and provisional id, refreshed by the loss event without a reload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../edge/main';
import { edgeConfig, passwordOf } from '../../integration/edge/support/edge-fixture';
import { rawChargePoint } from '../../integration/ocpp/support/raw-charge-point';
import { TsOcppCsms } from '../../integration/upstream/support/ts-ocpp-csms';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { MonitoringAnswerSchema } from '../../../shared/dashboard/api-answers';
import { launchBrowser, screenshot, unnamedControls, WAIT_MS } from '../support/headless-browser';

const ADMIN_PASSWORD = 'correct horse battery staple';
const timestamp = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

describe('site dashboard, the CSMS link section, in headless Chromium', () => {
  let csms: TsOcppCsms;
  let agent: RunningAgent;
  let charger: RPCClient;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    csms = await TsOcppCsms.start();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-dashboard-upstream-'));
    const input = {
      ...edgeConfig(
        {
          chargers: 2,
          upstream: { csmsUrl: csms.url, unknownTags: 'accept', reconnect: { initialDelayMs: 50, maxDelayMs: 200 } },
        },
        dataDir,
      ),
      dashboard: { host: '127.0.0.1', port: 0 },
    };
    agent = await startAgent(parseEdgeConfig(input, dataDir), { logger: pino({ level: 'silent' }) });
    charger = rawChargePoint({ endpoint: agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    await charger.connect();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
  });
  afterAll(async () => {
    await browser?.close();
    await charger?.close({ force: true });
    await agent?.stop();
    await csms?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should show the charger connected, then not connected with its backlog after the CSMS went away', async () => {
    // Arrange: signed in, on the CSMS link section
    await page.goto(agent.dashboardSetupUrl ?? '');
    await page.getByLabel('New admin password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'CSMS link' }).click();
    await page.getByRole('heading', { level: 1, name: 'CSMS link' }).waitFor();
    const row = page.getByTestId('upstream-table').locator('tbody tr', { hasText: 'CP-1' });
    await row.filter({ hasText: /^CP-1connected/ }).waitFor();
    const online = (await row.textContent()) ?? '';

    // Act: the CSMS goes away; a transaction starts and goes on without it
    await csms.close();
    const start = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 0,
      timestamp: timestamp(),
    })) as { transactionId: number };
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: timestamp(), sampledValue: [{ value: '500' }] }],
    });
    // The loss event (sent within its 5 s window) refreshes the page; Refresh reads the latest backlog.
    await row.filter({ hasText: 'not connected' }).filter({ hasText: 'waiting for the CSMS' }).waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await row.locator('td').nth(3).filter({ hasText: /^2$/ }).waitFor();
    await screenshot(page, 'dashboard', '20-csms-link-lost');
    const cells = await row.locator('td').allTextContents();

    // Assert
    expect(online).toContain('connected');
    expect(cells[1]).toBe('not connected');
    expect(cells[3]).toBe('2');
    expect(cells[5]).toBe(`${start.transactionId} → waiting for the CSMS`);
    expect(await page.getByTestId('upstream-table').locator('tbody tr').count()).toBe(2);
    expect(await unnamedControls(page)).toEqual([]);
  });

  it("should chart the CSMS link's share linked and backlog on the monitoring page", async () => {
    // Arrange: the CSMS is still away; CP-1 (of 2 chargers) has 2 messages queued
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Device monitoring' }).click();
    await page.getByRole('heading', { name: 'CSMS link over time' }).waitFor();
    const charts = page.getByTestId('csms-link-chart').locator('svg.load-chart');

    // Act: the agent samples the link with its load every 10 s (the page's read, or a live sample after it, shows the loss)
    const latest = () =>
      Promise.all([charts.first().getAttribute('aria-label'), charts.last().getAttribute('aria-label')]);

    // Assert
    await expect
      .poll(latest, { timeout: 30_000 })
      .toEqual([
        'Chargers linked to the CSMS, last hour. Chargers linked: latest 0.0 %',
        'Messages queued for the CSMS, last hour. Messages queued: latest 2.0 messages',
      ]);
    const answer = MonitoringAnswerSchema.parse(
      await page.evaluate(async (): Promise<unknown> => (await fetch('/api/monitoring?range=day')).json()),
    );
    const { points, stepMs } = answer.csmsLink ?? { points: [], stepMs: 0 };
    expect(points.length).toBeGreaterThan(0);
    expect(points.length).toBeLessThanOrEqual(360);
    expect(stepMs).toBe(10_000);
    await screenshot(page, 'dashboard', '21-csms-link-history');
    // Back to the CSMS link section, where the next test goes on
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'CSMS link' }).click();
    await page.getByRole('heading', { level: 1, name: 'CSMS link' }).waitFor();
  }, 45_000);

  it('should show a link kept only to deliver the backlog of a charger that left as such, in English and German', async () => {
    // Arrange: the CSMS is back but leaves CP-1's StartTransaction unanswered, so its backlog stays queued
    csms = await csms.restart();
    csms.unanswered.set('StartTransaction', 1_000);
    await csms.until('the queued start sent', () => csms.of('StartTransaction').length > 0);

    // Act: CP-1 leaves; its link stays open for the delivery of its backlog
    await charger.close({ force: true });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByTestId('upstream-table').locator('tbody tr', { hasText: 'CP-1' });
    await row.filter({ hasText: 'delivering backlog' }).waitFor();
    const english = await row.locator('td').nth(1).textContent();
    const german = await browser.newContext({ locale: 'de-DE' });
    const seite = await german.newPage();
    seite.setDefaultTimeout(WAIT_MS);
    await seite.goto(agent.dashboardUrl ?? '');
    await seite.getByLabel(CATALOGUES.de.dashboard.signIn.password).fill(ADMIN_PASSWORD);
    await seite.getByLabel(CATALOGUES.de.dashboard.signIn.password).press('Enter');
    await seite.getByRole('heading', { level: 1, name: CATALOGUES.de.dashboard.sections.allocations }).waitFor();
    await seite.goto(`${agent.dashboardUrl ?? ''}#/upstream`);
    const zeile = seite.getByTestId('upstream-table').locator('tbody tr', { hasText: 'CP-1' });
    await zeile
      .locator('td')
      .nth(3)
      .filter({ hasText: /^[1-9]/ })
      .waitFor();
    const deutsch = await zeile.locator('td').nth(1).textContent();
    // The monitoring page's CSMS link history, in German
    await seite.goto(`${agent.dashboardUrl ?? ''}#/monitoring`);
    await seite.getByRole('heading', { name: 'CSMS-Verbindung im Verlauf' }).waitFor();
    const verlauf = seite.getByTestId('csms-link-chart').locator('svg.load-chart').first();
    const verlaufName = await verlauf.getAttribute('aria-label');
    await german.close();

    // Assert: the link is open but the charger is offline (before: "connected")
    expect(english).toBe('delivering backlog (charger offline)');
    expect(deutsch).toBe('liefert Rückstand aus (Ladepunkt offline)');
    expect(verlaufName).toMatch(
      /^Mit dem CSMS verbundene Ladepunkte, letzte Stunde\. Ladepunkte verbunden: zuletzt \d+,\d %$/,
    );
  });
});
