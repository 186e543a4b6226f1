/**
 * Issue 16: the dashboard in German and in English. A browser that asks for German gets every page in German with
 * no English left on it (and the reverse), currents and times in the language's format; the header's switch changes
 * the language and the choice is kept for the next visit.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';
import { otherLanguageOn, otherLanguageOrMarkedOn } from '../support/language-check';
import { rawChargePoint } from '../../integration/ocpp/support/raw-charge-point';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';
const SECTIONS = [
  'cluster',
  'network',
  'devices',
  'load',
  'allocations',
  'monitoring',
  'upstream',
  'site',
  'demand',
  'chargerConfig',
] as const;

/** What shows that a section has its data (its status line says so once it has). */
const READY: Record<(typeof SECTIONS)[number], string> = {
  cluster: '[data-testid="cluster-facts"]',
  network: '[data-testid="no-cluster"]',
  devices: '[data-charger="CP-1"]',
  load: '[data-testid="policy-origin"]:not(:empty)',
  allocations: '[data-testid="allocations-table"] tbody tr:nth-child(4)',
  monitoring: '[data-testid="sessions-table"] tbody tr td time',
  upstream: '[data-testid="no-upstream"]',
  site: '[data-testid="site-versions"] tbody tr',
  demand: '[data-testid="demand-period"] dd:nth-child(12) .badge',
  chargerConfig: '[data-field="charger"] select:has(option)',
};

/** An identity the site does not list: it is refused, and waits on the site page to be adopted. */
const UNKNOWN = 'WALLBOX-LANG';

/**
 * What the pages show only once asked: the site page's adoption form, its meter test read and its preview of the site
 * file, a charger's configuration read, the test request's result and the switch-off confirmation (left unanswered).
 * Returns, per state, the other language's messages found on it.
 */
async function askedStates(page: Page, site: DashboardSite, locale: Locale): Promise<Record<string, string[]>> {
  const texts = CATALOGUES[locale].dashboard;
  const found: Record<string, string[]> = {};
  await page.goto(`${site.url}#/site`);
  await page.getByRole('button', { name: texts.adoption.adoptOne.replace('{{id}}', UNKNOWN) }).click();
  await page.getByTestId('adopt-form').waitFor();
  found.adoptForm = await otherLanguageOrMarkedOn(page, locale);
  await page.getByRole('button', { name: texts.meter.testRead }).click();
  await page.getByTestId('meter-values').waitFor();
  found.meterTestRead = await otherLanguageOrMarkedOn(page, locale);
  await screenshot(page, `dashboard-${locale}`, 'site-asked');
  await page.goto(`${site.url}#/chargerConfig`);
  await page.getByLabel(texts.chargerConfig.charger).selectOption('CP-1');
  await page.getByRole('button', { name: texts.chargerConfig.readButton }).click();
  await page.getByTestId('charger-schedules').waitFor();
  found.chargerConfiguration = await otherLanguageOrMarkedOn(page, locale);
  await screenshot(page, `dashboard-${locale}`, 'charger-configuration');
  await page.goto(`${site.url}#/allocations`);
  // The form offers the free connectors once the page has its allocations: a request sent before names none.
  await page.getByLabel(texts.testRequest.connector).locator('option').first().waitFor({ state: 'attached' });
  await page.getByRole('button', { name: texts.testRequest.title }).click();
  await page.getByTestId('test-request-table').waitFor();
  found.testRequest = await otherLanguageOn(page, locale);
  await page.goto(`${site.url}#/site`);
  await page.getByRole('button', { name: texts.site.preview }).click();
  await page.getByTestId('preview-connectors').locator('tbody tr').first().waitFor();
  found.sitePreview = await otherLanguageOn(page, locale);
  await page.goto(`${site.url}#/devices`);
  await page.getByRole('button', { name: texts.charger.switchOff.replace('{{id}}', 'CP-1') }).click();
  await page.getByRole('group', { name: texts.charger.confirmLabel.replace('{{id}}', 'CP-1') }).waitFor();
  found.confirmation = await otherLanguageOn(page, locale);
  return found;
}

const ASKED = {
  adoptForm: [],
  meterTestRead: [],
  chargerConfiguration: [],
  testRequest: [],
  sitePreview: [],
  confirmation: [],
};

/** Opens the one-time setup page (the admin password not set yet) in `context`; returns it and the other language on it. */
async function setupPage(context: BrowserContext, site: DashboardSite, locale: Locale) {
  const page = await openPage(context);
  await page.goto(site.setupUrl);
  await page.getByLabel(CATALOGUES[locale].dashboard.signIn.newAdminPassword).waitFor();
  return { page, found: await otherLanguageOn(page, locale) };
}

/** Peak-demand control on, over a grid meter reading 10 A of building load beside the cars (the Peak demand page). */
const DEMAND = { buildingAmps: () => 10, demandControl: { enabled: true, targetKw: 15 } };

async function openPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  return page;
}

/** Opens every section and returns, per page, the other language's messages found on it. */
async function everySection(page: Page, site: DashboardSite, locale: Locale): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const section of SECTIONS) {
    await page.goto(`${site.url}#/${section}`);
    await page.getByRole('heading', { level: 1, name: CATALOGUES[locale].dashboard.sections[section] }).waitFor();
    await page.locator(READY[section]).first().waitFor();
    found[section] = await otherLanguageOrMarkedOn(page, locale);
    await screenshot(page, `dashboard-${locale}`, section);
  }
  return found;
}

describe('site dashboard in German and English', () => {
  let site: DashboardSite;
  let browser: Browser;
  /** The setup page in English, seen before the German test sets the admin password (after that, it is gone). */
  let englishSetup: string[];
  const de = CATALOGUES.de.dashboard;
  const en = CATALOGUES.en.dashboard;

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(2, DEMAND), launchBrowser()]);
    const unknown = rawChargePoint({
      endpoint: site.agent.ocppUrl,
      identity: UNKNOWN,
      password: 'wallbox-lang-password',
    });
    await unknown.connect().catch(() => undefined);
    await unknown.close({ force: true });
    const english = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    englishSetup = (await setupPage(english, site, 'en')).found;
    await english.close();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('should show every page in German, with nothing English left, when the browser asks for German', async () => {
    // Arrange
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const { page, found: setup } = await setupPage(context, site, 'de');
    await page.getByLabel(de.signIn.newAdminPassword).fill(PASSWORD);
    await page.getByLabel(de.signIn.repeat).fill(PASSWORD);
    await page.getByLabel(de.signIn.repeat).press('Enter');
    await page.getByRole('heading', { level: 1, name: de.sections.allocations }).waitFor();

    // Act
    const sections = await everySection(page, site, 'de');
    const asked = await askedStates(page, site, 'de');
    await page.getByRole('button', { name: CATALOGUES.de.common.signOut }).click();
    await page.getByRole('heading', { level: 1, name: de.signIn.title }).waitFor();
    const signIn = await otherLanguageOn(page, 'de');

    // Assert
    expect({ setup, ...sections, ...asked, signIn }).toEqual({
      setup: [],
      ...Object.fromEntries(SECTIONS.map((s) => [s, []])),
      ...ASKED,
      signIn: [],
    });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await context.close();
  });

  it('should write currents and times the German way on a German page and the English way on an English one', async () => {
    for (const [locale, language, amps, time] of [
      ['de-DE', 'de', /^\d+,\d$/, /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/],
      ['en-US', 'en', /^\d+\.\d$/, /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}\s[AP]M$/],
    ] as const) {
      // Arrange
      const context = await browser.newContext({ locale });
      const page = await openPage(context);
      await page.goto(site.url);
      await page.getByLabel(CATALOGUES[language].dashboard.signIn.password).fill(PASSWORD);
      await page.getByLabel(CATALOGUES[language].dashboard.signIn.password).press('Enter');
      const allocated = page.getByTestId('allocations-table').locator('tr', { hasText: 'CP-1/1' }).locator('td').nth(6);

      // Act
      await allocated.filter({ hasText: /^\d+[.,]\d$/ }).waitFor();
      const shownAmps = await allocated.textContent();
      await page.goto(`${site.url}#/monitoring`);
      const started = page.getByTestId('sessions-table').locator('tbody tr td time').first();
      await started.waitFor();

      // Assert
      expect(shownAmps).toMatch(amps);
      expect((await started.textContent())?.trim()).toMatch(time);
      await context.close();
    }
  });

  it('should show every page in English, with nothing German left, when the browser asks for English', async () => {
    // Arrange
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await openPage(context);
    await page.goto(site.url);
    await page.getByLabel(en.signIn.password).fill(PASSWORD);
    const signIn = await otherLanguageOn(page, 'en');
    await page.getByLabel(en.signIn.password).press('Enter');
    await page.getByRole('heading', { level: 1, name: en.sections.allocations }).waitFor();

    // Act
    const sections = await everySection(page, site, 'en');
    const asked = await askedStates(page, site, 'en');

    // Assert
    expect({ setup: englishSetup, signIn, ...sections, ...asked }).toEqual({
      setup: [],
      signIn: [],
      ...Object.fromEntries(SECTIONS.map((s) => [s, []])),
      ...ASKED,
    });
    await context.close();
  });

  it('should switch from German to English with the header switch and keep English for the next visit', async () => {
    // Arrange
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await openPage(context);
    await page.goto(site.url);
    await page.getByLabel(de.signIn.password).fill(PASSWORD);
    await page.getByLabel(de.signIn.password).press('Enter');
    await page.getByRole('heading', { level: 1, name: de.sections.allocations }).waitFor();

    // Act
    await page.getByRole('combobox', { name: CATALOGUES.de.common.language }).selectOption('en');
    await page.getByRole('heading', { level: 1, name: en.sections.allocations }).waitFor();
    const next = await openPage(context);
    await next.goto(`${site.url}#/devices`);

    // Assert
    await next.getByRole('heading', { level: 1, name: en.sections.devices }).waitFor();
    expect(await next.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await next.getByRole('combobox', { name: CATALOGUES.en.common.language }).inputValue()).toBe('en');
    await context.close();
  });
});
