/**
 * The page's files as `npm run build` wrote them (scripts/build-browser.ts, into dist/browser/dashboard/), read from
 * disk on each request, so that a build made while the agent runs is served at once. The agent never bundles: without
 * a build it runs all the same (API, OCPP, control), and the page answers 503 saying how to build it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` writes the dashboard. */
export const DASHBOARD_BUNDLE_DIR = fileURLToPath(new URL('../../../dist/browser/dashboard/', import.meta.url));

/** What a browser is told when the page has not been built. */
export const DASHBOARD_NOT_BUILT =
  'The dashboard page is not built. Run `npm run build` in the ampshare folder (`npm start` does it), then reload. The agent runs without it: its API and OCPP answer.';

// The files the build writes, and only those.
const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'ui.css': 'text/css; charset=utf-8',
};

export type DashboardAsset =
  | { readonly kind: 'file'; readonly body: Uint8Array; readonly type: string }
  | { readonly kind: 'notFound' }
  /** A file of the page that the build has not written. */
  | { readonly kind: 'notBuilt' };

export interface DashboardAssets {
  /** A file by its name (`app.js`). */
  get(name: string): Promise<DashboardAsset>;
}

export function dashboardAssets(dir: string = DASHBOARD_BUNDLE_DIR): DashboardAssets {
  return {
    async get(name) {
      const type = Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
      if (type === undefined) return { kind: 'notFound' };
      try {
        return { kind: 'file', body: await readFile(join(dir, name)), type };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'notBuilt' };
        throw error;
      }
    },
  };
}
