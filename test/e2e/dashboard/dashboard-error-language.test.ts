/**
 * Issue 16: what the agent answers appears in the page's language. A German page that meets the agent's refusals
 * and answers (a wrong password at sign-in, a charger password the agent finds too short at its field, a charger's
 * answer to being switched off, a site save from a page showing an older version) shows them in German with no
 * English left, and an English page shows them with no German.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';

interface Seen {
  readonly text: string | null;
  readonly otherLanguage: string[];
}

type Answers = Record<'wrongPassword' | 'shortPassword' | 'switchedOff' | 'stale', Seen>;

describe('the agent’s answers in the page language', () => {
  let site: DashboardSite;
  let browser: Browser;

  beforeAll(async () => {
    [site, browser] = await Promise.all([startDashboardSite(1), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  /** What a page in `locale` shows after each refusal or answer, and the other language's words on it then. */
  async function meetAnswers(locale: Locale, page: Page): Promise<Answers> {
    const words = CATALOGUES[locale].dashboard;
    const seen = async (shown: ReturnType<Page['getByTestId']>): Promise<Seen> => ({
      text: await shown.textContent(),
      otherLanguage: await otherLanguageOn(page, locale),
    });

    await page.goto(site.url);
    await page.getByLabel(words.signIn.password).fill('not the password');
    await page.getByLabel(words.signIn.password).press('Enter');
    const signIn = page.getByTestId('sign-in-status');
    await signIn.filter({ hasText: '401' }).waitFor();
    const wrongPassword = await seen(signIn);
    await page.getByLabel(words.signIn.password).fill(PASSWORD);
    await page.getByLabel(words.signIn.password).press('Enter');
    await page.getByRole('heading', { level: 1, name: words.sections.allocations }).waitFor();

    await page.goto(`${site.url}#/devices`);
    const card = page.locator('article[data-charger="CP-1"]');
    await card.getByLabel(words.charger.newPasswordFor.replace('{{id}}', 'CP-1')).fill('too short');
    await card.getByRole('button', { name: words.charger.setPassword }).click();
    const fieldError = card.locator('[data-error-for="password"]');
    await fieldError.filter({ hasText: '16' }).waitFor();
    const shortPassword = await seen(fieldError);
    const chargerStatus = page.getByTestId('charger-status-CP-1');
    // The status line may still say the password's refusal: wait for the switch's own answer
    const before = (await chargerStatus.textContent()) ?? '';
    await card.getByRole('button', { name: words.charger.switchOff.replace('{{id}}', 'CP-1') }).click();
    await card.getByRole('button', { name: words.charger.confirmYes.replace('{{id}}', 'CP-1') }).click();
    await chargerStatus.filter(before.trim() ? { hasNotText: before } : { hasText: /\S/ }).waitFor();
    const switchedOff = await seen(chargerStatus);
    await card.getByRole('button', { name: words.charger.switchOn.replace('{{id}}', 'CP-1') }).click();

    const other = await page.context().newPage();
    other.setDefaultTimeout(WAIT_MS);
    for (const on of [page, other]) {
      await on.goto(`${site.url}#/site`);
      await on.reload();
      await on.getByTestId('circuit-tree').getByLabel(words.site.fuse).first().waitFor();
    }
    const version = await page.evaluate(() =>
      fetch('/api/site')
        .then((r) => r.json() as Promise<{ version: number }>)
        .then((a) => a.version),
    );
    await page.getByTestId('circuit-tree').getByLabel(words.site.fuse).first().fill('41');
    await page.getByRole('button', { name: words.site.saveCircuits }).click();
    await page
      .getByTestId('site-status')
      .filter({ hasText: String(version + 1) })
      .waitFor();
    await other.getByTestId('circuit-tree').getByLabel(words.site.fuse).first().fill('42');
    await other.getByRole('button', { name: words.site.saveCircuits }).click();
    const refused = other.getByTestId('circuits-status');
    await refused.filter({ hasText: /\S/ }).waitFor();
    const stale = { text: await refused.textContent(), otherLanguage: await otherLanguageOn(other, locale) };
    await other.close();
    return { wrongPassword, shortPassword, switchedOff, stale };
  }

  it('should show the agent’s refusals and answers in German, with nothing English left, on a German page', async () => {
    // Arrange: the administrator is set up, from an English page (not what is tested)
    const setup = await browser.newContext({ locale: 'en-US' });
    const first = await setup.newPage();
    first.setDefaultTimeout(WAIT_MS);
    await first.goto(site.setupUrl);
    await first.getByLabel(CATALOGUES.en.dashboard.signIn.newAdminPassword).fill(PASSWORD);
    await first.getByLabel(CATALOGUES.en.dashboard.signIn.repeat).fill(PASSWORD);
    await first.getByLabel(CATALOGUES.en.dashboard.signIn.repeat).press('Enter');
    await first.getByRole('heading', { level: 1, name: CATALOGUES.en.dashboard.sections.allocations }).waitFor();
    await setup.close();
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const server = CATALOGUES.de.errors.server;

    // Act
    const seen = await meetAnswers('de', page);

    // Assert
    expect(seen.wrongPassword.text).toContain(server.signIn.wrongCredentials);
    expect(seen.shortPassword.text).toBe('muss mindestens 16 Zeichen haben');
    expect(seen.switchedOff.text).toMatch(/^Der Ladepunkt (hat das Ausschalten angenommen|ist nicht verbunden)/);
    expect(seen.stale.text).toMatch(/Der Standort wurde seit Version \d+ geändert: jetzt gilt Version \d+/);
    expect(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.otherLanguage]))).toEqual({
      wrongPassword: [],
      shortPassword: [],
      switchedOff: [],
      stale: [],
    });
    await context.close();
  });

  it('should show them in English, with nothing German left, on an English page', async () => {
    // Arrange
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);

    // Act
    const seen = await meetAnswers('en', page);

    // Assert
    expect(seen.wrongPassword.text).toContain('wrong user name or password');
    expect(seen.shortPassword.text).toBe('must have at least 16 characters');
    expect(seen.switchedOff.text).toMatch(/^the charger (accepted being switched off|is not connected)/);
    expect(seen.stale.text).toMatch(/the site was changed since version \d+: version \d+ is in force now/);
    expect(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.otherLanguage]))).toEqual({
      wrongPassword: [],
      shortPassword: [],
      switchedOff: [],
      stale: [],
    });
    await context.close();
  });
});
