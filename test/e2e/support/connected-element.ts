/**
 * Measures an element a live page may draw again at any moment. Playwright's `locator.evaluate` finds the element and
 * runs the function in two round trips, and a page that replaces the element in between (a chart redrawn on every
 * sample) leaves it detached, where every box measures 0: a layout check would then pass, or fail, on nothing. A
 * measurement counts only when the element is still connected after it; else the locator finds it again.
 */
import type { Locator } from 'playwright-core';

const ATTEMPTS = 20;

export async function evaluateConnected<R>(locator: Locator, measure: (element: Element) => R): Promise<R> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const element = await locator.elementHandle();
    try {
      const measured = await element.evaluate(measure);
      // A redraw replaces an element and never puts it back: connected after the measurement, it was during it.
      if (await element.evaluate((e) => e.isConnected)) return measured;
    } finally {
      await element.dispose();
    }
  }
  throw new Error(`${locator.toString()} was replaced each of the ${ATTEMPTS} times it was measured`);
}
