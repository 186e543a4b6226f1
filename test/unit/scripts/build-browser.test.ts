import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_APPS, buildBrowserApp, isStale } from '../../../scripts/build-browser';

const dashboard = BROWSER_APPS.find((app) => app.name === 'dashboard')!;

describe('npm run build: the browser apps', () => {
  let distDir: string;
  afterEach(() => rmSync(distDir, { recursive: true, force: true }));

  it('should write the bundle and the static files, and be up to date until a source is newer than the build', async () => {
    // Arrange
    distDir = mkdtempSync(join(tmpdir(), 'ampshare-browser-build-'));
    const staleBefore = await isStale(dashboard, distDir);

    // Act
    const built = await buildBrowserApp(dashboard, distDir);
    const staleAfter = await isStale(dashboard, distDir);
    // As if the build had run a day ago: every source is now newer than it.
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(join(distDir, 'dashboard.sources.json'), dayAgo, dayAgo);
    const staleLater = await isStale(dashboard, distDir);

    // Assert
    expect(staleBefore).toBe(true);
    expect((await readdir(built.outDir)).sort()).toEqual([
      'app.js',
      'app.js.map',
      'dashboard.css',
      'index.html',
      'ui.css',
    ]);
    expect(built.bundleBytes).toBeGreaterThan(10_000);
    expect(staleAfter).toBe(false);
    expect(staleLater).toBe(true);
  });

  it('should be stale when a file it wrote is gone', async () => {
    // Arrange
    distDir = mkdtempSync(join(tmpdir(), 'ampshare-browser-build-'));
    await buildBrowserApp(dashboard, distDir);

    // Act
    rmSync(join(distDir, 'dashboard', 'app.js'));

    // Assert
    expect(await isStale(dashboard, distDir)).toBe(true);
  });
});
