/**
 * The grid meter's "test read" in the browser, against the whole agent and a real Modbus TCP meter (sim/meter) read
 * through modbus-serial: the form shows the meter the agent reads, a test read shows what it measures now (per-phase
 * currents, power, import energy), a refused connection shows its error, and a setting the agent refuses is shown at
 * its field. Saving another meter makes a new site version, and the agent reads that meter without a restart. On a
 * German page, values the control loop would not believe are said in German (issue 16).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../edge/main';
import { meterRegisterImage } from '../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import { edgeConfig } from '../../integration/edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { restartPort } from '../../support/restart-port';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';

const ADMIN_PASSWORD = 'correct horse battery staple';

describe('grid meter test read from the dashboard', () => {
  let dataDir: string;
  let meter: ModbusTcpServer;
  let other: ModbusTcpServer;
  /** A meter that reads 400 V on L1: outside the default plausibility band (100..300 V). */
  let implausible: ModbusTcpServer;
  let agent: RunningAgent;
  let browser: Browser;
  let page: Page;
  const section = () => page.getByTestId('meter-test-read');

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-meter-read-'));
    meter = createModbusTcpServer({
      source: meterRegisterImage('eastron-sdm630', () => ({
        volts: [230, 230, 230],
        amps: [21.5, 17.25, 9],
        importWh: 4_321_000,
      })),
    });
    other = createModbusTcpServer({
      source: meterRegisterImage('carlo-gavazzi-em24', () => ({
        volts: [231, 231, 231],
        amps: [40, 41, 42],
        importWh: 1_000_000,
      })),
    });
    implausible = createModbusTcpServer({
      source: meterRegisterImage('eastron-sdm630', () => ({
        volts: [400, 230, 230],
        amps: [10, 10, 10],
        importWh: 1_000_000,
      })),
    });
    const [meterPort] = await Promise.all([meter.start(), other.start(), implausible.start()]);
    const input = {
      ...edgeConfig({ chargers: 1, meterPort }, dataDir),
      dashboard: { host: '127.0.0.1', port: 0 },
    };
    [browser, agent] = await Promise.all([
      launchBrowser(),
      startAgent(parseEdgeConfig(input, dataDir), { logger: pino({ level: 'silent' }) }),
    ]);
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(agent.dashboardSetupUrl ?? '');
    await page.getByLabel('New admin password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
    await page.goto(`${agent.dashboardUrl ?? ''}#/site`);
    await section().getByLabel('Host').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await meter?.stop();
    await other?.stop();
    await implausible?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should show the meter the agent reads and its live values after a test read', async () => {
    // Arrange: the form holds the site file's grid meter
    const form = section();
    expect(await form.getByLabel('Model (register map)').inputValue()).toBe('eastron-sdm630');
    expect(await form.getByLabel('Port').inputValue()).toBe(String(meter.port));

    // Act
    await form.getByRole('button', { name: 'Test read' }).click();
    await form.getByTestId('meter-values').waitFor();

    // Assert: per-phase currents, total power and import energy, as the meter measures them now
    const rows = await form.getByTestId('meter-values').locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      ['L1', '230.0', '21.50', '4,945'],
      ['L2', '230.0', '17.25', '3,968'],
      ['L3', '230.0', '9.00', '2,070'],
    ]);
    expect(await form.getByTestId('meter-totals').innerText()).toBe(
      'Total power 10.98 kW, energy imported 4,321.0 kWh.',
    );
    await screenshot(page, 'dashboard', 'site-meter-test-read');
  });

  it('should show a refused connection with the driver message', async () => {
    const form = section();
    await form.getByLabel('Port').fill(String(await restartPort()));

    await form.getByRole('button', { name: 'Test read' }).click();
    const fault = form.getByTestId('meter-fault');
    await fault.waitFor();

    expect(await fault.innerText()).toMatch(/^Connecting failed \(connection refused or closed\): .*ECONNREFUSED/);
    expect(await form.getByTestId('meter-values').count()).toBe(0);
  });

  it('should show settings the agent refuses at their fields, without reading', async () => {
    const form = section();
    await form.getByLabel('Host').fill('');
    await form.getByLabel('Port').fill('70000');

    await form.getByRole('button', { name: 'Test read' }).click();
    await form.locator('[data-error-for="meter.connection.host"]:not([hidden])').waitFor();

    expect(await form.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByTestId('meter-fault').count()).toBe(0);
    expect(await page.getByTestId('meter-test-read-status').innerText()).toMatch(/^Could not test the meter/);
  });

  it('should save another meter as a new site version, which the agent reads from then on without a restart', async () => {
    // Arrange: the form as the version in force has it, pointed at the other meter (another model, another port)
    await page.reload();
    const form = section();
    await form.getByLabel('Host').waitFor();
    await form.getByLabel('Model (register map)').selectOption('carlo-gavazzi-em24');
    await form.getByLabel('Port').fill(String(other.port));
    await form.getByRole('button', { name: 'Test read' }).click();
    await form.getByTestId('meter-values').waitFor();

    // Act
    await form.getByRole('button', { name: 'Save meter' }).click();
    await page.getByTestId('site-status').getByText('Site version 2 in force').waitFor();

    // Assert: the agent reads the other meter (its 40 A on L1), and the page shows the version with it
    await eventually('the agent reads the other meter', () => {
      const reading = agent.controller.snapshot().meters.find((m) => m.meterId === 'grid');
      return reading !== undefined && Math.abs(reading.amps[0] - 40) < 0.01;
    });
    const saved = section();
    await saved.getByLabel('Host').waitFor();
    expect(await saved.getByLabel('Model (register map)').inputValue()).toBe('carlo-gavazzi-em24');
    expect(await saved.getByLabel('Port').inputValue()).toBe(String(other.port));
    expect(await saved.getByLabel('Circuit it measures').inputValue()).toBe('main');
    await screenshot(page, 'dashboard', 'site-meter-saved');
  });

  it('should say in German why the control loop would not believe the values, nothing of it in English', async () => {
    // Arrange: a German page, signed in, on the site page
    const words = CATALOGUES.de.dashboard;
    const context = await browser.newContext({ locale: 'de-DE' });
    const german = await context.newPage();
    german.setDefaultTimeout(WAIT_MS);
    await german.goto(agent.dashboardUrl ?? '');
    await german.getByLabel(words.signIn.password).fill(ADMIN_PASSWORD);
    await german.getByLabel(words.signIn.password).press('Enter');
    await german.getByRole('heading', { level: 1, name: words.sections.allocations }).waitFor();
    await german.goto(`${agent.dashboardUrl ?? ''}#/site`);
    const form = german.getByTestId('meter-test-read');
    await form.getByLabel(words.meter.host).waitFor();
    await form.getByLabel(words.meter.model).selectOption('eastron-sdm630');
    await form.getByLabel(words.meter.port).fill(String(implausible.port));

    // Act
    await form.getByRole('button', { name: words.meter.testRead }).click();
    await form.getByTestId('meter-values').waitFor();

    // Assert
    expect(await form.locator('p.field-error', { hasText: words.meter.implausible }).innerText()).toBe(
      `${words.meter.implausible} Spannung L1 400 außerhalb von 100..300`,
    );
    expect(await form.locator('[lang="en"]').allTextContents()).toEqual([]);
    expect(await otherLanguageOn(german, 'de')).toEqual([]);
    await context.close();
  });
});
