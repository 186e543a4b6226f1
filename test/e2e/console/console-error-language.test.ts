/**
 * Issue 16: what the fleet API answers appears in the console's language. A German console page meeting a policy
 * rule the page checks itself (min above max), a save the API refuses (a VIP connector the site lacks) and a rollout
 * (a site that refuses the policy for the same reason, a site whose push is skipped for want of a gateway) shows each
 * in German, with nothing marked English and no English left.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { otherLanguageOn } from '../support/language-check';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

const { console: words, policy: fields, errors } = CATALOGUES.de;

describe('the fleet API’s answers on a German console', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ locale: 'de-DE', signIn: false });
    ({ stack, page } = started);
    await page.goto(stack.consoleUrl);
    await page.getByLabel(words.login.tenant).fill(stack.tenantId);
    await page.getByRole('button', { name: words.login.asTenant }).click();
    await page.getByRole('heading', { level: 1, name: words.sites }).waitFor();
  });
  afterAll(() => stopSeededConsole(started));

  /** Confirms the push review, ticking the protection box when the change asks for it. */
  async function confirmPush(): Promise<void> {
    await page.getByTestId('push-review').waitFor();
    const understand = page.getByLabel(words.review.understand);
    if (await understand.isVisible()) await understand.check();
    await page.getByRole('button', { name: words.review.confirm }).click();
  }

  it('should show a policy rule and a refused save in German, with nothing English left', async () => {
    // Arrange
    await page.goto(`${stack.consoleUrl}#/sites/depot-1/policy`);
    await page.getByTestId('policy-status').filter({ hasText: /\w/ }).waitFor();
    const min = page.locator('[data-error-for="budget.min"]');
    const vip = page.locator('[data-error-for="vip.connectors"]');

    // Act
    await page.getByLabel(fields.budgetMin, { exact: true }).fill('60');
    await min.filter({ hasText: /\w/ }).waitFor();
    const rule = await min.textContent();
    await page.getByLabel(fields.budgetMin, { exact: true }).fill('0');
    await page.getByLabel(fields.vipConnectors, { exact: true }).fill('CP-1/1, CP-9/1');
    await page.getByRole('button', { name: words.policy.save }).click();
    await confirmPush();
    await vip.filter({ hasText: /\w/ }).waitFor();
    const refused = await vip.textContent();
    const status = await page.getByTestId('policy-status').textContent();
    const marked = await page.locator('main [lang="en"]').allTextContents();
    const english = await otherLanguageOn(page, 'de');

    // Assert
    expect(rule).toBe('Minimum 60 liegt über dem Maximum 40');
    expect(refused).toBe('Ladepunkt „CP-9/1“ gehört nicht zu diesem Standort');
    expect(status).toContain('Die API hat die Richtlinie abgelehnt');
    expect(marked).toEqual([]);
    expect(english).toEqual([]);
  });

  it('should show each site’s rollout result in German: a refused connector, a push skipped for want of a gateway', async () => {
    // Arrange
    await page.goto(`${stack.consoleUrl}#/rollout`);
    const sites = page.getByRole('group', { name: words.rolloutPage.targets });
    await sites.getByLabel('Depot South (depot-2)').check();
    await page.getByLabel(words.rolloutPage.startFrom).selectOption('depot-2');
    // The form shows depot-2's policy once the status names it: the first site's, loaded before, says something too,
    // and an edit made before depot-2's answer arrived was overwritten by it (a CI run pushed without CP-9/1)
    await page.getByTestId('rollout-status').filter({ hasText: 'depot-2' }).waitFor();
    const rows = page.getByTestId('rollout-results').locator('tbody tr');

    // Act
    await page.getByLabel(fields.vipConnectors, { exact: true }).fill('CP-9/1');
    await page.getByRole('button', { name: words.rolloutPage.submit }).click();
    await confirmPush();
    const invalid = await rows.filter({ hasText: 'depot-2' }).textContent();
    await page.getByLabel(fields.vipConnectors, { exact: true }).fill('');
    await page.getByRole('button', { name: words.rolloutPage.submit }).click();
    await confirmPush();
    await rows.filter({ hasText: words.rolloutPage.statuses.updated }).waitFor();
    const skipped = await rows.filter({ hasText: 'depot-2' }).textContent();
    const marked = await page.locator('main [lang="en"]').allTextContents();
    const english = await otherLanguageOn(page, 'de');

    // Assert
    expect(invalid).toContain(
      `${words.rolloutPage.statuses.invalid}–vip.connectors[0]: Ladepunkt „CP-9/1“ gehört nicht zu diesem Standort`,
    );
    expect(skipped).toContain(`${words.pushStatus.skipped}: ${errors.server.push.noGateway}`);
    expect(marked).toEqual([]);
    expect(english).toEqual([]);
  });
});
