import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardAssets } from '../../../../edge/dashboard/http/dashboard-assets';
import { startHarness, type Harness } from './dashboard-harness';

describe('dashboard: the page not built', () => {
  let h: Harness;
  let emptyDir: string;
  afterEach(() => {
    h.close();
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('should answer the page and its script 503 saying to run npm run build, and the API as usual', async () => {
    // Arrange
    emptyDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-dashboard-unbuilt-'));
    h = startHarness({ assets: dashboardAssets(emptyDir) });

    // Act
    const page = await h.call('GET', '/');
    const script = await h.call('GET', '/app.js');
    const unknown = await h.call('GET', '/other.js');
    const session = await h.call('GET', '/api/session');

    // Assert
    expect(page.status).toBe(503);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/plain/);
    expect(await page.text()).toContain('Run `npm run build`');
    expect(script.status).toBe(503);
    expect(unknown.status).toBe(404);
    expect(session.status).toBe(200);
  });
});
