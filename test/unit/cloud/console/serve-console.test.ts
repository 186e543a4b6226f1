import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveConsole } from '../../../../cloud/console/serve-console';

describe('serveConsole: the bundle on disk', () => {
  let distDir: string;
  afterEach(() => rmSync(distDir, { recursive: true, force: true }));

  it('should answer 503 saying to run npm run build when the console is not built, and config.json as usual', async () => {
    // Arrange
    distDir = mkdtempSync(join(tmpdir(), 'ampshare-console-unbuilt-'));
    const app = serveConsole({ distDir, apiBaseUrl: '' });

    // Act
    const page = await app.request('/');
    const config = await app.request('/config.json');

    // Assert
    expect(page.status).toBe(503);
    expect(await page.json()).toMatchObject({
      error: 'console.notBuilt',
      message: expect.stringContaining('npm run build') as unknown,
    });
    expect(config.status).toBe(200);
  });

  it('should serve what the build wrote and answer 404 for a file it did not write', async () => {
    // Arrange
    distDir = mkdtempSync(join(tmpdir(), 'ampshare-console-built-'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html>');
    const app = serveConsole({ distDir, apiBaseUrl: '' });

    // Act
    const page = await app.request('/');
    const missing = await app.request('/other.js');

    // Assert
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html>');
    expect(missing.status).toBe(404);
  });
});
