/**
 * Builds the fleet console into `outDir`: `app.js` (one minified ESM bundle with its source map), `index.html`,
 * `ui.css` (the shared components' styles) and `styles.css`. The local stack and the CDK call `buildConsole`; from a
 * shell: `npx tsx cloud/console/build-console.ts [outDir]`. `config.json` is not built: whoever serves the console
 * writes it (see serve-console.ts and docs/console.md).
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBrowserApp } from '../../scripts/browser-bundle';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const STATIC_FILES = [join(HERE, '../../browser/console/static/index.html'), join(HERE, '../../browser/console/static/styles.css'), join(HERE, '../../browser/ui/ui.css')];

/** Where `npm` scripts and the tests expect the bundle (git-ignored through `dist/`). */
export const DEFAULT_CONSOLE_DIR = resolve(HERE, '../../dist/console');

export interface ConsoleBuild {
  readonly outDir: string;
  /** Bytes of `app.js`. */
  readonly bundleBytes: number;
}

export async function buildConsole(outDir: string = DEFAULT_CONSOLE_DIR): Promise<ConsoleBuild> {
  await mkdir(outDir, { recursive: true });
  const bundle = await bundleBrowserApp(join(HERE, '../../browser/console/main.ts'));
  await Promise.all([
    ...[...bundle.files].map(([name, contents]) => writeFile(join(outDir, name), contents)),
    ...STATIC_FILES.map((file) => copyFile(file, join(outDir, file.slice(file.lastIndexOf('/') + 1)))),
  ]);
  return { outDir, bundleBytes: bundle.bundleBytes };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildConsole(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_CONSOLE_DIR);
  console.log(`fleet console built in ${built.outDir} (app.js ${Math.round(built.bundleBytes / 1024)} KiB)`);
}
