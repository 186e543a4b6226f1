/**
 * Issue 16: a site's sessions on the fleet console as a CSV download. The file (fetched with the operator's token)
 * parses as CSV and holds, by default, the rows the page shows: connector, tag, start and stop instants, energy; over a
 * range the operator picks, every session started in it, more than the page shows.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv';
import type { ConsoleStack } from './support/console-stack';
import { startSeededConsole, stopSeededConsole, type SeededConsole } from './support/seeded-console';

const MINUTE_MS = 60_000;
/** depot-3's sessions: 110 in the last day (the page shows at most 100) and 20 two days back (the page shows none). */
const RECENT = 110;
const OLDER = 20;

async function seedManySessions(stack: ConsoleStack, now: number): Promise<void> {
  const startedAt = [
    ...Array.from({ length: RECENT }, (_, i) => now - (5 + i * 10) * MINUTE_MS),
    ...Array.from({ length: OLDER }, (_, i) => now - (48 * 60 + i * 60) * MINUTE_MS),
  ];
  for (const [i, at] of startedAt.entries())
    await stack.local.repositories.sessions.put({
      tenantId: stack.tenantId,
      siteId: 'depot-3',
      sessionId: `many-${i}`,
      connector: 'CP-1/1',
      startedAt: at,
      stoppedAt: at + 3 * MINUTE_MS,
      energyWh: 1000 + i,
    });
}

/** `at` as a datetime-local field takes it: local time, to the minute (the browser runs in this process's zone). */
function localMinute(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

describe('fleet console: sessions as CSV', () => {
  let started: SeededConsole | undefined;
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    started = await startSeededConsole({ acceptDownloads: true, seed: seedManySessions });
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

  it('should download every session started in a chosen range, more than the page shows', async () => {
    // Arrange
    await page.goto(`${stack.consoleUrl}#/sites/depot-3`);
    const table = page.getByTestId('sessions-table');
    await table.locator('tbody tr').nth(99).waitFor();
    const shownRows = await table.locator('tbody tr').count();
    await page.getByLabel('Sessions started from').fill(localMinute(Date.now() - 4 * 24 * 60 * MINUTE_MS));

    // Act
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download sessions (CSV)' }).click(),
    ]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));

    // Assert
    expect(shownRows).toBe(100);
    expect(rows[0]?.[0]).toBe('session');
    expect(rows.slice(1).map((row) => row[0])).toEqual(Array.from({ length: RECENT + OLDER }, (_, i) => `many-${i}`));
  });
});
