/**
 * Issue 16: a site's sessions on the fleet console as a CSV download. The file (fetched with the operator's token)
 * parses as CSV and holds the rows the page shows: connector, tag, start and stop instants, energy.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

describe('fleet console: sessions as CSV', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ acceptDownloads: true });
    ({ stack, page } = started);
  });
  afterAll(() => stopSeededConsole(started));

  it('should download a CSV that parses and holds the rows the page shows', async () => {
    // Arrange
    await page.goto(`${stack.consoleUrl}#/sites/depot-1`);
    const table = page.getByTestId('sessions-table');
    await table.locator('tbody tr').nth(1).waitFor();
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('td')].map(
            (cell) => cell.querySelector('time')?.getAttribute('datetime') ?? cell.textContent ?? '',
          ),
        ),
      );

    // Act
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download sessions (CSV)' }).click(),
    ]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));

    // Assert
    expect(download.suggestedFilename()).toBe('depot-1-sessions.csv');
    expect(rows[0]).toEqual(['session', 'charger', 'connector', 'id tag', 'start', 'stop', 'energy kWh']);
    const asShown = rows
      .slice(1)
      .map(([, charger = '', connector = '', tag = '', start = '', stop = '', kwh = '']) => [
        `${charger}/${connector}`,
        tag === '' ? '–' : tag,
        start,
        stop === '' ? 'charging' : stop,
        Number(kwh).toFixed(2),
      ]);
    expect(asShown).toEqual(shown);
    expect(shown).toHaveLength(2);
  });
});
