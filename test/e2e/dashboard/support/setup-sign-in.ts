/** The first sign-in of a dashboard, through the agent's one-time setup link, then one of its sections. */
import type { Browser, Page } from 'playwright-core';
import type { Locale } from '../../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../../browser/ui/i18n/messages/catalogue';
import { WAIT_MS } from '../../support/headless-browser';

type Section = keyof (typeof CATALOGUES)['en']['dashboard']['sections'];

/**
 * Opens `setupUrl` in a new desktop-sized context of `locale`, sets the admin password to `password` and opens
 * `section` from the navigation; returns the page once the section's heading shows.
 */
export async function sectionAfterSetup(
  browser: Browser,
  setupUrl: string,
  { locale, password, section }: { readonly locale: Locale; readonly password: string; readonly section: Section },
): Promise<Page> {
  const texts = CATALOGUES[locale].dashboard;
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(setupUrl);
  await page.getByLabel(texts.signIn.newAdminPassword).fill(password);
  await page.getByLabel(texts.signIn.repeat).fill(password);
  await page.getByLabel(texts.signIn.repeat).press('Enter');
  await page.getByRole('heading', { level: 1, name: texts.sections.allocations }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: texts.sections[section] }).click();
  await page.getByRole('heading', { level: 1, name: texts.sections[section] }).waitFor();
  return page;
}
