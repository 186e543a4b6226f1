/**
 * Issue 16: the fleet console in German and in English. A browser that asks for German gets every page in German
 * with no English left on it (and the reverse), numbers and times in the language's format; the header's switch
 * changes the language and the choice is kept. A site's events, a charger's fault and the sites list's latest alert
 * are said from the agent's reasons, in German on a German page (before, the agent's English message, marked English).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';
import { otherLanguageOn, otherLanguageOrMarkedOn } from '../support/language-check';
import { startConsoleStack, type ConsoleStack } from './support/console-stack';
import { seedFleet } from './support/fleet-seed';

/** Signs in through the dev login in `locale`'s words, on the page the console opens with. */
async function signIn(page: Page, stack: ConsoleStack, locale: Locale): Promise<string[]> {
  const words = CATALOGUES[locale].console;
  await page.goto(stack.consoleUrl);
  await page.getByLabel(words.login.tenant).waitFor();
  const found = await otherLanguageOn(page, locale);
  await page.getByLabel(words.login.tenant).fill(stack.tenantId);
  await page.getByRole('button', { name: words.login.asTenant }).click();
  await page.getByRole('heading', { level: 1, name: words.sites }).waitFor();
  return found;
}

/** Opens every page of the console (and the policy's preview and review) and returns what of the other language each shows. */
async function everyPage(page: Page, stack: ConsoleStack, locale: Locale): Promise<Record<string, string[]>> {
  const words = CATALOGUES[locale].console;
  const found: Record<string, string[]> = {};
  const check = async (name: string) => {
    found[name] = await otherLanguageOrMarkedOn(page, locale);
    await screenshot(page, `console-${locale}`, name);
  };
  await page
    .getByTestId('sites-table')
    .locator('tbody tr', { hasText: 'depot-1' })
    .locator('.policy-versions')
    .waitFor();
  await page.getByRole('status').filter({ hasText: /\d/ }).waitFor();
  await check('sites');
  await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
  await page.getByTestId('events-table').locator('tbody tr').nth(5).waitFor();
  await page.getByTestId('load-chart').locator('svg').waitFor();
  await page.getByTestId('demand-months').waitFor();
  await check('site');
  await page.goto(`${stack.consoleUrl}#/sites/depot-1/policy`);
  await page.getByTestId('policy-status').filter({ hasText: /\w/ }).waitFor();
  await check('policy');
  await page.getByRole('button', { name: words.preview.heading }).click();
  await page.getByTestId('preview-result').waitFor();
  await page.getByRole('button', { name: words.policy.save }).click();
  await page.getByTestId('push-review').waitFor();
  await check('preview and review');
  await page.goto(`${stack.consoleUrl}#/rollout`);
  await page.getByTestId('rollout-status').filter({ hasText: /\w/ }).waitFor();
  await check('rollout');
  return found;
}

/** depot-1's seeded events (test/e2e/console/support/fleet-seed.ts) as each language says them, newest first. */
const SAID = {
  de: {
    critical: '1 kritisch',
    messages: [
      'Ladepunkt CP-2, Anschluss 1 gestört: GroundFailure',
      'Zähler grid-meter wieder da',
      'Ladepunkt CP-1 gestartet: Webasto TurboConnect, Firmware 3.1.4 (angenommen)',
      'Ladepunkt CP-1 verbunden von 10.0.0.7',
      'gw-b ist Master in Amtszeit 7',
      'Anmeldesperre (Anmeldung am Dashboard): Benutzer „admin“ nach 5 fehlgeschlagenen Versuchen für 60 s gesperrt',
    ],
  },
  en: {
    critical: '1 critical',
    messages: [
      'charger CP-2 connector 1 faulted: GroundFailure',
      'meter grid-meter recovered',
      'charger CP-1 booted: Webasto TurboConnect, firmware 3.1.4 (accepted)',
      'charger CP-1 connected from 10.0.0.7',
      'gw-b serves as master in term 7',
      'sign-in lockout (dashboard sign-in): user "admin" locked out for 60 s after 5 failed attempts',
    ],
  },
} as const;

describe('fleet console in German and English', () => {
  let stack: ConsoleStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await seedFleet(stack, Date.now());
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it.each([
    ['de-DE', 'de'],
    ['en-US', 'en'],
  ] as const)(
    'should show every page in the language the browser asks for (%s), with none of the other',
    async (browserLocale, locale) => {
      // Arrange
      const context = await browser.newContext({ locale: browserLocale, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);

      // Act
      const login = await signIn(page, stack, locale);
      const pages = await everyPage(page, stack, locale);

      // Assert
      expect({ login, ...pages }).toEqual(
        Object.fromEntries(['login', 'sites', 'site', 'policy', 'preview and review', 'rollout'].map((p) => [p, []])),
      );
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
      await context.close();
    },
  );

  it.each([
    ['de-DE', 'de'],
    ['en-US', 'en'],
  ] as const)(
    "should say a site's events, a charger's fault and the sites list's alert in the page's language (%s), as the agent's reasons",
    async (browserLocale, locale) => {
      // Arrange
      const context = await browser.newContext({ locale: browserLocale, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      await signIn(page, stack, locale);
      const said = SAID[locale];
      const north = page.getByTestId('sites-table').locator('tbody tr', { hasText: 'depot-1' });

      // Act
      await north.filter({ hasText: said.messages[0] }).waitFor();
      const alert = await north.textContent();
      await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
      const events = page.getByTestId('events-table');
      await events.locator('tbody tr').nth(5).waitFor();
      const messages = await events.locator('tbody tr td:last-child').allTextContents();
      const state = await page.getByTestId('chargers-table').locator('tr', { hasText: 'CP-2' }).textContent();
      const marked = await page.locator(`main [lang]:not([lang="${locale}"])`).allTextContents();

      // Assert: before, on a German page each was the agent's English message, marked English
      expect(alert).toContain(said.critical);
      expect(messages).toEqual(said.messages);
      expect(state).toContain(said.messages[0]);
      expect(marked).toEqual([]);
      await context.close();
    },
  );

  it('should write energies and times the German way on a German page and the English way on an English one', async () => {
    for (const [browserLocale, locale, energy, time] of [
      ['de-DE', 'de', '12,30', /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/],
      ['en-US', 'en', '12.30', /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}\s[AP]M$/],
    ] as const) {
      // Arrange
      const context = await browser.newContext({ locale: browserLocale });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      await signIn(page, stack, locale);

      // Act
      await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
      const done = page.getByTestId('sessions-table').locator('tbody tr', { hasText: 'CP-2/1' });
      await done.waitFor();

      // Assert
      expect(await done.locator('td').last().textContent()).toBe(energy);
      expect((await done.locator('time').first().textContent())?.trim()).toMatch(time);
      await context.close();
    }
  });

  it('should switch from German to English with the header switch, still signed in, and keep English', async () => {
    // Arrange
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    await signIn(page, stack, 'de');

    // Act
    await page.getByRole('combobox', { name: CATALOGUES.de.common.language }).selectOption('en');
    await page.getByRole('heading', { level: 1, name: CATALOGUES.en.console.sites }).waitFor();
    await page.reload();

    // Assert
    await page.getByRole('heading', { level: 1, name: CATALOGUES.en.console.sites }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('ampshare.locale'))).toBe('en');
    expect(await page.getByRole('combobox', { name: CATALOGUES.en.common.language }).inputValue()).toBe('en');
    await context.close();
  });
});
