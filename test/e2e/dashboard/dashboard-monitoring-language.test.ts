/**
 * Issue 16: the monitoring page's event list and meter faults in the page's language. The agent sends each line with a
 * stable reason and its parameters (shared/event-messages.ts): a German page shows the chargers' connections, boots
 * and a started session in German, with nothing marked English and no English left, and an English page shows them in
 * English. The site's grid meter is read on a port where nothing listens: the meters table says why in German
 * (shared/meter-faults.ts), and so does the line of the meter lost once the control turns dynamic. The dashboard's own
 * actions (a charger switched off and on, a password generated, a site version saved) are lines in German too.
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
    // The dashboard's own lines: the policy saved (dynamic now, so the unreachable meter is lost), CP-2 switched off
    // and on, a password generated for CP-3 (the simulator does not take it) and the site saved with another fuse.
    const statuses = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken };
      const send = async (method: string, path: string, body: unknown) =>
        (await fetch(`/api/${path}`, { method, headers, body: JSON.stringify(body) })).status;
      const { policy } = (await (await fetch('/api/policy')).json()) as { policy: { control: object } };
      const dynamic = { ...policy, control: { ...policy.control, mode: 'dynamic' } };
      const { version, site } = (await (await fetch('/api/site')).json()) as {
        version: number;
        site: { circuits: { fuseAmps: number }[] };
      };
      const circuits = site.circuits.map((c, i) => (i === 0 ? { ...c, fuseAmps: c.fuseAmps + 1 } : c));
      return [
        await send('PUT', 'policy', dynamic),
        await send('PUT', 'chargers/CP-2/enabled', { enabled: false }),
        await send('PUT', 'chargers/CP-2/enabled', { enabled: true }),
        await send('PUT', 'chargers/CP-3/password', { mode: 'generate' }),
        await send('PUT', 'site', { baseVersion: version, site: { ...site, circuits } }),
      ];
    });
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The meter is lost once a dynamic round finds it has no reading.
    await page.waitForFunction(
      async () => {
        const { events } = (await (await fetch('/api/monitoring')).json()) as { events: { reason?: string }[] };
        return events.some((e) => e.reason === 'event.meterLost');
      },
      undefined,
      { polling: 200, timeout: WAIT_MS },
    );
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
    expect(seen.meterFault).toMatch(/^(Verbindung abgewiesen|nicht verbunden); neuer Versuch in 0(,\d)? s$/);
    expect(text).toMatch(
      /grid(ausgefallen \((Verbindung abgewiesen|nicht verbunden|kein Messwert)[^)]*\)): Stromkreis main läuft mit dem Ersatzbudget/,
    );
    expect(text).toMatch(/CP-2im Dashboard ausgeschaltet: Der Ladepunkt hat das Ausschalten angenommen/);
    expect(text).toMatch(/CP-2im Dashboard eingeschaltet: Der Ladepunkt hat das Einschalten angenommen/);
    expect(text).toMatch(
      /CP-3Passwort im Dashboard erzeugt: Der Ladepunkt unterstützt das neue Passwort nicht; Geben Sie das neue Passwort am Ladepunkt ein/,
    );
    expect(text).toMatch(/Standort-EinrichtungStandortversion 2 \(Bearbeitung\) von admin: Stromkreise geändert: 1/);
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
    expect(seen.meterFault).toMatch(/^(connection refused|not connected); trying again in 0(\.\d)? s$/);
    expect(text).toMatch(
      /gridlost \((connection refused|not connected|no reading)[^)]*\): circuit main runs on the fail-safe budget/,
    );
    expect(text).toMatch(/CP-2switched off on the dashboard: the charger accepted being switched off/);
    expect(text).toMatch(
      /CP-3password generated on the dashboard: the charger does not support the new password; enter/,
    );
    expect(text).toMatch(/site setupsite version 2 \(edit\) by admin: circuits changed: 1/);
    expect(seen.otherLanguage).toEqual([]);
  });
});
