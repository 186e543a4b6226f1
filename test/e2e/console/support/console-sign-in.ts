/** Signs in to the fleet console through the local stack's dev login. */
import type { Page } from 'playwright-core';

/** Signs in through the local stack's dev login and waits for the sites list. */
export async function signIn(page: Page, consoleUrl: string, tenantId: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('Tenant id').fill(tenantId);
  await page.getByRole('button', { name: 'Sign in as tenant' }).click();
  await page.getByRole('heading', { name: 'Sites' }).waitFor();
}
