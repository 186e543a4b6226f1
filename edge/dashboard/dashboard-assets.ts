/**
 * The page's files: `index.html` and the styles from disk, `app.js` bundled from browser/dashboard with esbuild on
 * the first request (in memory: nothing is written, and agents that nobody opens never pay for the build).
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBrowserApp } from '../../scripts/browser-bundle';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FILES_ON_DISK: Readonly<Record<string, string>> = {
  'index.html': join(HERE, '../../browser/dashboard/static/index.html'),
  'dashboard.css': join(HERE, '../../browser/dashboard/static/dashboard.css'),
  'ui.css': join(HERE, '../../browser/ui/ui.css'),
};
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export interface DashboardAsset {
  readonly body: Uint8Array;
  readonly type: string;
}

export interface DashboardAssets {
  /** A file by its name (`app.js`), or undefined when there is none. */
  get(name: string): Promise<DashboardAsset | undefined>;
}

export function dashboardAssets(): DashboardAssets {
  let bundle: Promise<ReadonlyMap<string, Uint8Array>> | undefined;
  const bundled = () => {
    bundle ??= bundleBrowserApp(join(HERE, '../../browser/dashboard/main.ts')).then(
      (built) => built.files,
      (error: unknown) => {
        bundle = undefined;
        throw error;
      },
    );
    return bundle;
  };
  return {
    async get(name) {
      const type = TYPES[extname(name)];
      if (type === undefined) return undefined;
      const onDisk = FILES_ON_DISK[name];
      if (onDisk !== undefined) return { body: await readFile(onDisk), type };
      const body = (await bundled()).get(name);
      return body && { body, type };
    },
  };
}
