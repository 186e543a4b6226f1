/**
 * What most console browser tests start from: the local stack with the demo fleet seeded, a headless Chromium and a
 * page on the console (desktop-sized, the tests' wait time), signed in unless the test signs in itself.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, WAIT_MS } from '../../support/headless-browser';
import { signIn } from './console-sign-in';
import { startConsoleStack, type ConsoleStack } from './console-stack';
import { seedFleet } from './fleet-seed';

export interface SeededConsole {
  readonly stack: ConsoleStack;
  readonly browser: Browser;
  readonly page: Page;
}

export interface SeededConsoleOptions {
  /** More data for this test, after the fleet and before the page signs in. */
  readonly seed?: (stack: ConsoleStack, now: number) => Promise<void>;
  readonly locale?: string;
  readonly acceptDownloads?: boolean;
  /** False: the page is left blank (the test signs in its own way, or not at all). */
  readonly signIn?: boolean;
}

export async function startSeededConsole(options: SeededConsoleOptions = {}): Promise<SeededConsole> {
  const [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
  try {
    const now = Date.now();
    await seedFleet(stack, now);
    await options.seed?.(stack, now);
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      ...(options.locale !== undefined && { locale: options.locale }),
      ...(options.acceptDownloads !== undefined && { acceptDownloads: options.acceptDownloads }),
    });
    page.setDefaultTimeout(WAIT_MS);
    if (options.signIn !== false) await signIn(page, stack.consoleUrl, stack.tenantId);
    return { stack, browser, page };
  } catch (error) {
    await stopSeededConsole({ stack, browser });
    throw error;
  }
}

/** Closes what `startSeededConsole` started. */
export async function stopSeededConsole(started: Pick<SeededConsole, 'stack' | 'browser'> | undefined): Promise<void> {
  await started?.browser.close();
  await started?.stack.stop();
}
