/**
 * Issue 16: the monitoring page's event list and meter faults in the page's language. The agent sends each line with a
 * stable reason and its parameters (shared/event-messages.ts): a German page shows the chargers' connections, boots
 * and a started session in German, with nothing marked English and no English left, and an English page shows them in
 * English. The site's grid meter is read on a port where nothing listens: the meters table says why in German
 * (shared/meter-faults.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { launchBrowser, WAIT_MS } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';
import { wrongPassword } from '../../support/ocpp-handshake';
import { restartPort } from '../../support/restart-port';
import { startDashboardSite, type DashboardSite } from './support/dashboard-site';

const PASSWORD = 'correct horse battery staple';

interface Seen {
  readonly lines: string[];
  /** The meters table's fault cell. */
  readonly meterFault: string;
  /** Parts of the list marked as another language (text the page could not say in its own). */
  readonly markedEnglish: string[];
  readonly otherLanguage: string[];
}

describe('the monitoring page’s events and meter faults in the page language', () => {
  let site: DashboardSite;
  let browser: Browser;

  beforeAll(async () => {
    // A port below the ephemeral range that was free a moment ago: the meter's connection is refused.
    [site, browser] = await Promise.all([startDashboardSite(1, undefined, await restartPort()), launchBrowser()]);
    const setup = await browser.newContext({ locale: 'en-US' });
    const page = await setup.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const words = CATALOGUES.en.dashboard.signIn;
    await page.goto(site.setupUrl);
    await page.getByLabel(words.newAdminPassword).fill(PASSWORD);
    await page.getByLabel(words.repeat).fill(PASSWORD);
    await page.getByLabel(words.repeat).press('Enter');
    await page.getByRole('heading', { level: 1, name: CATALOGUES.en.dashboard.sections.allocations }).waitFor();
    // The policy in force saved again, as the settings page saves it: a line of the dashboard's own.
    const saved = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const { policy } = (await (await fetch('/api/policy')).json()) as { policy: unknown };
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken };
      return (await fetch('/api/policy', { method: 'PUT', headers, body: JSON.stringify(policy) })).status;
    });
    expect(saved).toBe(200);
    await setup.close();
    // A charger with a mistyped password: after five refusals its identity (and the address) is locked out.
    for (let i = 0; i < 5; i++) await wrongPassword(site.agent.ocppUrl, 'CP-4');
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  async function monitoringEvents(locale: Locale): Promise<Seen> {
    const context = await browser.newContext({ locale: locale === 'de' ? 'de-DE' : 'en-US' });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const words = CATALOGUES[locale].dashboard;
    await page.goto(site.url);
    await page.getByLabel(words.signIn.password).fill(PASSWORD);
    await page.getByLabel(words.signIn.password).press('Enter');
    await page.getByRole('heading', { level: 1, name: words.sections.allocations }).waitFor();
    await page.goto(`${site.url}#/monitoring`);
    const events = page.getByTestId('events');
    await events.locator('li time').nth(5).waitFor();
    const meters = page.getByTestId('meters-table');
    const seen = {
      lines: await events.locator('li').allTextContents(),
      meterFault: (await meters.locator('tbody td').last().textContent()) ?? '',
      markedEnglish: await page
        .locator('[data-testid="events"] [lang="en"], [data-testid="meters-table"] [lang="en"]')
        .allTextContents(),
      otherLanguage: await otherLanguageOn(page, locale),
    };
    await context.close();
    return seen;
  }

  it('should show the events in German, nothing of them in English, on a German page', async () => {
    // Act
    const seen = await monitoringEvents('de');

    // Assert
    const text = seen.lines.join('\n');
    expect(text).toMatch(/CP-1verbunden von 127\.0\.0\.1/);
    expect(text).toMatch(/CP-1gestartet: \S+ \S+ \(angenommen\)/);
    expect(text).toMatch(/CP-1\/1Ladevorgang \d+ begonnen \(TAG-1\)/);
    expect(text).toMatch(/RichtlinieLastmanagement-Einstellungen im Dashboard gespeichert und in Kraft/);
    expect(text).toMatch(
      /Anmeldung eines Ladepunkts \(OCPP\)Ladepunkt „CP-4“ nach 5 fehlgeschlagenen Versuchen für 1 s gesperrt/,
    );
    expect(seen.meterFault).toMatch(/^(Verbindung abgewiesen|nicht verbunden); neuer Versuch in 0,\d s$/);
    expect(seen.markedEnglish).toEqual([]);
    expect(seen.otherLanguage).toEqual([]);
  });

  it('should show them in English on an English page', async () => {
    // Act
    const seen = await monitoringEvents('en');

    // Assert
    const text = seen.lines.join('\n');
    expect(text).toMatch(/CP-1connected from 127\.0\.0\.1/);
    expect(text).toMatch(/CP-1\/1session \d+ started \(TAG-1\)/);
    expect(text).toMatch(/CP-1booted: \S+ \S+ \(accepted\)/);
    expect(text).toMatch(/policyload management settings saved on the dashboard and in force/);
    expect(text).toMatch(/charger sign-in \(OCPP\)charger "CP-4" locked out for 1 s after 5 failed attempts/);
    expect(seen.meterFault).toMatch(/^(connection refused|not connected); trying again in 0\.\d s$/);
    expect(seen.otherLanguage).toEqual([]);
  });
});
