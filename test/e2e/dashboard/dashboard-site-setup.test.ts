/**
 * Issue 17 in the browser, against the whole agent: from an empty site the first-run setup runs; two independent
 * charge points (ocpp-rpc, and @voltbras/ts-ocpp which no one here wrote) dial in, are adopted from the page and get
 * limits, without a restart; a fuse edit, previewed first, changes the allocation in the next round; an invalid edit
 * shows every error at its field; an edit on a page that shows an older version is refused; a restart keeps
 * everything; an older version is restored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteInForceAnswer } from '../../../shared/dashboard/site-setup-answers';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../edge/main';
import { eventually } from '../../support/eventually';
import { edgeConfig } from '../../integration/edge/support/edge-fixture';
import {
  diallingChargePoint,
  startCharging,
  type DiallingChargePoint,
} from '../../integration/ocpp/support/dialling-charge-point';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';
import { tsOcppChargePoint, type TsOcppChargePoint } from './support/ts-ocpp-charge-point';

const ADMIN_PASSWORD = 'correct horse battery staple';
const WALLBOX = { identity: 'WALLBOX-7', password: 'wallbox-7-own-password' };
const VOLTBRAS = { identity: 'VOLTBRAS-2', password: 'voltbras-2-own-password' };

describe('site setup from the dashboard, from an empty site', () => {
  let dataDir: string;
  let ocppPort = 0;
  let agent: RunningAgent;
  let browser: Browser;
  let page: Page;
  let wallbox: DiallingChargePoint;
  let voltbras: TsOcppChargePoint;

  const start = async () => {
    const input = {
      ...edgeConfig({ chargers: 0, unknownChargers: 'Pending', ocppPort }, dataDir),
      dashboard: { host: '127.0.0.1', port: 0 },
    };
    agent = await startAgent(parseEdgeConfig(input, dataDir), { logger: pino({ level: 'silent' }) });
    ocppPort = agent.ocppPort;
  };
  const dashboardUrl = () => agent.dashboardUrl ?? '';
  const mainLimit = () => agent.controller.allocation?.circuits.find((c) => c.id === 'main')?.limitAmps[0];
  const allocatedTotal = () =>
    (agent.controller.allocation?.connectors ?? []).reduce((sum, c) => sum + Math.max(...c.phaseAmps), 0);
  const status = () => page.getByTestId('site-status');
  /** The site version in force, as the API answers it to the signed-in page. */
  const inForce = () =>
    page.evaluate(() => fetch('/api/site').then((r) => r.json() as Promise<SiteInForceAnswer>)).then((a) => a.site);
  const openSite = async (on: Page) => {
    await on.goto(`${dashboardUrl()}#/site`);
    // The same hash again does not load the page again: reload so that it reads the site and the lists afresh.
    await on.reload();
    await on.getByRole('heading', { level: 1, name: 'Site setup' }).waitFor();
    await on.getByTestId('site-status').filter({ hasText: 'in force' }).waitFor();
  };
  const txProfileFor = (profiles: readonly { csChargingProfiles: { chargingProfilePurpose: string } }[]) =>
    profiles.some((p) => p.csChargingProfiles.chargingProfilePurpose === 'TxProfile');

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-site-setup-'));
    [browser] = await Promise.all([launchBrowser(), start()]);
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(agent.dashboardSetupUrl ?? '');
    await page.getByLabel('New admin password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
  });
  afterAll(async () => {
    await wallbox?.client.close({ force: true });
    voltbras?.close();
    await browser?.close();
    await agent?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should run the first-run setup, with every error at its field first', async () => {
    // Arrange
    await openSite(page);
    const form = page.getByTestId('site-basics');
    await form.getByRole('heading', { name: 'First-run setup' }).waitFor();

    // Act 1: errors the browser finds (time zone, fuse) and one only the agent knows (no such meter)
    await form.getByLabel('Site name').fill('Depot Nord');
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    await form.getByLabel('Grid connection fuse (A)').fill('-5');
    await form.getByRole('button', { name: 'Save site' }).click();
    const browserErrors = await form
      .locator('.field-error:not([hidden])')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-error-for')));
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Grid connection fuse (A)').fill('40');
    await form.getByLabel('Grid meter').fill('nowhere');
    await form.getByRole('button', { name: 'Save site' }).click();
    await form.locator('[data-error-for="circuits[0].meterId"]:not([hidden])').waitFor();
    const agentError = await form.locator('[data-error-for="circuits[0].meterId"]').textContent();

    // Act 2: the same form, right
    await form.getByLabel('Grid meter').fill('');
    await form.getByRole('button', { name: 'Save site' }).click();
    await status().filter({ hasText: 'version 2' }).waitFor();
    await screenshot(page, 'dashboard-site-setup', 'first-run-saved');

    // Assert
    expect(browserErrors.sort()).toEqual(['circuits[0].fuseAmps', 'timezone']);
    expect(agentError).toContain('no meter configured with meterId "nowhere"');
    expect(await inForce()).toMatchObject({
      name: 'Depot Nord',
      timezone: 'Europe/Berlin',
      circuits: [{ id: 'main', parent: null, fuseAmps: 40 }],
      chargers: [],
    });
  });

  it('should list two charge points that dial in, adopt both from the page and give each a limit, without a restart', async () => {
    // Arrange: an ocpp-rpc charge point and a @voltbras/ts-ocpp one dial in with identities the site does not list
    wallbox = diallingChargePoint({
      ocppUrl: agent.ocppUrl,
      ...WALLBOX,
      configuration: { ConnectorPhaseRotation: '0.RST,1.STR', NumberOfConnectors: '1' },
      boot: { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 22', firmwareVersion: '4.2.1' },
    });
    voltbras = tsOcppChargePoint({
      ocppUrl: agent.ocppUrl,
      ...VOLTBRAS,
      configuration: { ConnectorPhaseRotation: '1.TRS', NumberOfConnectors: '1' },
    });
    await Promise.all([wallbox.client.connect(), voltbras.connect()]);
    await eventually(
      'both held Pending',
      () => wallbox.boots.includes('Pending') && voltbras.boots.includes('Pending'),
    );
    await openSite(page);
    const listed = page.getByTestId('unknown-chargers');
    await listed.locator('tr', { hasText: VOLTBRAS.identity }).waitFor();
    await listed.locator('tr', { hasText: WALLBOX.identity }).waitFor();
    const rows = await listed.locator('tbody tr').allTextContents();

    // Act: adopt each from its row, with its password
    for (const charger of [WALLBOX, VOLTBRAS]) {
      await listed.getByRole('button', { name: `Adopt ${charger.identity}` }).click();
      const form = page.getByRole('form', { name: `Adopt charger ${charger.identity}` });
      await form.getByLabel('Maximum current (A)').fill('16');
      await form.getByLabel('Charger password').fill(charger.password);
      await form.getByRole('button', { name: 'Adopt', exact: true }).click();
      await page.getByTestId('site-status').filter({ hasText: 'saved by admin' }).waitFor();
      await page
        .getByTestId('site-status')
        .filter({ hasText: `version ${charger === WALLBOX ? 3 : 4}` })
        .waitFor();
    }
    await eventually(
      'both boot Accepted',
      () => wallbox.boots.includes('Accepted') && voltbras.boots.includes('Accepted'),
    );
    await startCharging(wallbox.client, 1, 'TAG-1');
    await voltbras.send('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    await voltbras.send('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-2',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    });
    await eventually(
      'a lease on each',
      () => txProfileFor(wallbox.profiles) && txProfileFor(voltbras.profiles),
      10_000,
    );
    await screenshot(page, 'dashboard-site-setup', 'adopted');

    // Assert: listed with what they reported; adopted with the rotation they reported; both under control
    expect(rows.find((r) => r.includes(WALLBOX.identity))).toMatch(/Acme.*Wallbox 22.*4\.2\.1.*127\.0\.0\.1/);
    expect(rows.find((r) => r.includes(VOLTBRAS.identity))).toMatch(/Voltbras.*ts-ocpp.*2\.7\.3/);
    expect((await inForce()).chargers).toEqual([
      expect.objectContaining({
        id: WALLBOX.identity,
        circuit: 'main',
        phases: 3,
        phaseRotation: 'L2L3L1',
        maxAmps: 16,
      }),
      expect.objectContaining({
        id: VOLTBRAS.identity,
        circuit: 'main',
        phases: 3,
        phaseRotation: 'L3L1L2',
        maxAmps: 16,
      }),
    ]);
    expect(await listed.locator('tbody tr').allTextContents()).toEqual(['No unknown charger has dialled in.']);
  });

  it('should preview a fuse edit, put it in force at the next round, and refuse an edit from a page showing an older version', async () => {
    // Arrange: a second installer's page shows version 4 too
    const other = await page.context().newPage();
    other.setDefaultTimeout(WAIT_MS);
    await openSite(other);
    await openSite(page);
    const tree = page.getByTestId('circuit-tree');
    await eventually('two cars sharing the 40 A fuse', () => mainLimit() === 40 && allocatedTotal() > 10, 10_000);

    // Act 1: lower the main fuse, preview, save
    await tree.getByLabel('Fuse (A)').first().fill('10');
    await page.getByRole('button', { name: 'Preview allocation' }).click();
    const previewed = await page.getByTestId('preview-circuits').locator('tbody tr').first().textContent();
    const inForceDuringPreview = mainLimit();
    await page.getByRole('button', { name: 'Save circuits' }).click();
    await status().filter({ hasText: 'version 5' }).waitFor();
    await eventually('the next round under the 10 A fuse', () => mainLimit() === 10 && allocatedTotal() <= 10, 10_000);

    // Act 2: the other page, still on version 4, saves a fuse of its own
    await other.getByTestId('circuit-tree').getByLabel('Fuse (A)').first().fill('50');
    await other.getByRole('button', { name: 'Save circuits' }).click();
    const refused = other.getByTestId('circuits-status');
    await refused.filter({ hasText: 'Not saved' }).waitFor();

    // Assert
    expect(previewed).toMatch(/^main\s*10\.0 \/ 10\.0 \/ 10\.0/);
    expect(inForceDuringPreview).toBe(40);
    expect(await refused.textContent()).toContain('someone saved the site since this page showed it');
    expect((await inForce()).circuits[0]?.fuseAmps).toBe(10);
    await other.close();
  });

  it('should show every error of an invalid tree edit at its field and save nothing', async () => {
    // Arrange
    await openSite(page);
    const tree = page.getByTestId('circuit-tree');

    // Act: a sub-circuit with a bad id and a charger maximum above what any charger has
    await tree.getByRole('button', { name: 'Add a circuit under main' }).click();
    await tree.getByLabel('Circuit id').nth(1).fill('bad id!');
    await tree.getByLabel(`Maximum of ${WALLBOX.identity} (A)`).fill('2000');
    await page.getByRole('button', { name: 'Save circuits' }).click();
    const errors = await tree
      .locator('.field-error:not([hidden])')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-error-for')));

    // Assert
    expect(errors.sort()).toEqual(['chargers[0].maxAmps', 'circuits[1].id']);
    expect(await page.getByTestId('circuits-status').textContent()).toContain('2 errors');
    expect((await inForce()).circuits).toHaveLength(1);
  });

  it('should keep everything across a restart, then restore an older version', async () => {
    // Arrange: the ts-ocpp charge point is off while the agent restarts; the ocpp-rpc one dials again on its own
    voltbras.close();
    await agent.stop();
    const boots = wallbox.boots.length;
    await start();
    await voltbras.connect();
    await eventually('both boot again', () => wallbox.boots.length > boots && voltbras.boots.at(-1) === 'Accepted');

    // Act 1: sign in again and open the site
    await page.goto(dashboardUrl());
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
    await openSite(page);
    const kept = await status().textContent();
    const fuse = await page.getByTestId('circuit-tree').getByLabel('Fuse (A)').first().inputValue();

    // Act 2: restore version 4 (both chargers, the 40 A fuse)
    await page.getByRole('button', { name: 'Restore version 4' }).click();
    await status().filter({ hasText: 'version 6' }).waitFor();
    await eventually('the next round under the 40 A fuse again', () => mainLimit() === 40, 10_000);

    // Assert
    expect(kept).toContain('version 5');
    expect(fuse).toBe('10');
    expect(wallbox.boots.at(-1)).toBe('Accepted');
    expect((await inForce()).chargers.map((c) => c.id)).toEqual([WALLBOX.identity, VOLTBRAS.identity]);
    expect((await inForce()).circuits[0]?.fuseAmps).toBe(40);
    expect(await page.getByTestId('site-versions').locator('tbody tr').first().textContent()).toContain('restored');
  });
});
