/** Headless Debian Chromium through playwright-core, screenshots as test artifacts, and accessibility checks. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Bound on every wait in the browser (playwright's own, no sleeps). */
export const WAIT_MS = 10_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
}

/** Saves a full-page screenshot as `test-results/<folder>/<name>.png` (git-ignored; kept as a test artifact). */
export async function screenshot(page: Page, folder: string, name: string): Promise<void> {
  const dir = join(process.cwd(), 'test-results', folder);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Visible form controls without an accessible name (label, aria-label or aria-labelledby), described for the failure message. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]')].filter(
      (c) => c.offsetParent !== null || c.getClientRects().length > 0,
    );
    const named = (c: HTMLElement) => {
      if (c.getAttribute('aria-label')?.trim() || c.getAttribute('aria-labelledby')) return true;
      if ('labels' in c && (c as HTMLInputElement).labels && (c as HTMLInputElement).labels!.length > 0) return true;
      return (c instanceof HTMLButtonElement || c instanceof HTMLAnchorElement) && (c.textContent ?? '').trim() !== '';
    };
    return controls.filter((c) => !named(c)).map((c) => c.outerHTML.slice(0, 120));
  });
}

/** Presses Tab up to `presses` times and returns the accessible text of every element that got focus, in order. */
export async function tabOrder(page: Page, presses: number): Promise<string[]> {
  const reached: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    reached.push(
      await page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        if (!active || active === document.body) return '';
        const label = 'labels' in active ? (active as HTMLInputElement).labels?.[0]?.textContent : undefined;
        return (label ?? active.getAttribute('aria-label') ?? active.textContent ?? '').trim();
      }),
    );
  }
  return reached;
}
