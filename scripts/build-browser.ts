/**
 * `npm run build`: bundles the browser apps (browser/dashboard, browser/console) and copies their static files into
 * dist/browser/<app>/, which the edge agent and the console servers serve as they are (they never bundle).
 * `--if-stale` builds only an app whose files are missing or older than one of its sources: `npm start` and
 * `npm run cloud:local` run it first, and so do the tests (test/support/browser-build.ts). It stays quick when
 * nothing changed: it reads the list of sources the last build wrote and compares modification times.
 */
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isStaleBuild, writeAtomically, writeBuildRecord } from './build-record';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the apps are written: `dashboard/` and `console/` (git-ignored through `dist/`). */
export const BROWSER_DIST_DIR = join(ROOT, 'dist/browser');

export interface BrowserApp {
  readonly name: 'dashboard' | 'console';
  /** Relative to the repository root. */
  readonly entryPoint: string;
  /** Copied next to the bundle as they are; relative to the repository root. */
  readonly staticFiles: readonly string[];
}

export const BROWSER_APPS: readonly BrowserApp[] = [
  {
    name: 'dashboard',
    entryPoint: 'browser/dashboard/main.ts',
    staticFiles: ['browser/dashboard/static/index.html', 'browser/dashboard/static/dashboard.css', 'browser/ui/ui.css'],
  },
  {
    name: 'console',
    entryPoint: 'browser/console/main.ts',
    staticFiles: ['browser/console/static/index.html', 'browser/console/static/styles.css', 'browser/ui/ui.css'],
  },
];

/** What changes every bundle besides an app's own sources: the bundler, its settings and the locked packages. */
const BUILD_INPUTS = [
  'scripts/browser-bundle.ts',
  'scripts/build-browser.ts',
  'scripts/build-record.ts',
  'scripts/zod-namespace-import.ts',
  'package-lock.json',
];
const BUNDLE_FILES = ['app.js', 'app.js.map'];

/** Written after the app, beside its folder (never deployed with it): the sources the build read. */
const sourcesFile = (distDir: string, app: BrowserApp) => join(distDir, `${app.name}.sources.json`);

/** Whether `app` must be built: a file of it missing in `distDir`, no record of its sources, or a source newer than the build. */
export function isStale(app: BrowserApp, distDir: string = BROWSER_DIST_DIR): Promise<boolean> {
  return isStaleBuild({
    root: ROOT,
    record: sourcesFile(distDir, app),
    outputs: [...BUNDLE_FILES, ...app.staticFiles.map((file) => basename(file))].map((file) =>
      join(distDir, app.name, file),
    ),
    alwaysInputs: [...app.staticFiles, ...BUILD_INPUTS],
  });
}

export interface BuiltApp {
  readonly name: BrowserApp['name'];
  readonly outDir: string;
  /** Bytes of `app.js`. */
  readonly bundleBytes: number;
}

/** Bundles `app` into `distDir/<name>/`: `app.js` (+ map) and its static files; then records its sources. */
export async function buildBrowserApp(app: BrowserApp, distDir: string = BROWSER_DIST_DIR): Promise<BuiltApp> {
  // Sources changed while esbuild runs must make the next check stale: the record carries the start time.
  const startedAt = new Date();
  const { bundleBrowserApp } = await import('./browser-bundle');
  const bundle = await bundleBrowserApp(ROOT, app.entryPoint);
  const outDir = join(distDir, app.name);
  await mkdir(outDir, { recursive: true });
  await Promise.all([
    ...[...bundle.files].map(([name, contents]) => writeAtomically(join(outDir, name), contents)),
    ...app.staticFiles.map(async (file) => {
      const target = join(outDir, basename(file));
      await copyFile(join(ROOT, file), `${target}.${process.pid}.tmp`);
      await rename(`${target}.${process.pid}.tmp`, target);
    }),
  ]);
  await writeBuildRecord(sourcesFile(distDir, app), bundle.inputs, startedAt);
  return { name: app.name, outDir, bundleBytes: bundle.bundleBytes };
}

/** Builds every app (or, with `ifStale`, those that need it); returns what it built. */
export async function buildBrowserApps(
  options: { readonly ifStale?: boolean; readonly distDir?: string } = {},
): Promise<BuiltApp[]> {
  const distDir = options.distDir ?? BROWSER_DIST_DIR;
  const built: BuiltApp[] = [];
  for (const app of BROWSER_APPS) {
    if (options.ifStale && !(await isStale(app, distDir))) continue;
    built.push(await buildBrowserApp(app, distDir));
  }
  return built;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ifStale = process.argv.includes('--if-stale');
  try {
    for (const app of await buildBrowserApps({ ifStale }))
      console.log(`${app.name} built in ${app.outDir} (app.js ${Math.round(app.bundleBytes / 1024)} KiB)`);
  } catch (error) {
    console.error(`could not build the browser apps: ${error instanceof Error ? error.message : String(error)}`);
    // Before `npm start` the agent must still start: it runs without its page, which answers 503 until a build succeeds.
    if (ifStale)
      console.error('starting anyway; the dashboard and the console answer 503 until `npm run build` succeeds');
    process.exitCode = ifStale ? 0 : 1;
  }
}
