/**
 * Builds the fleet console into `outDir`: `app.js` (one minified ESM bundle with its source map), `index.html` and
 * `styles.css`. The local stack and the CDK call `buildConsole`; from a shell: `npx tsx cloud/console/build-console.ts [outDir]`.
 * `config.json` is not built: whoever serves the console writes it (see serve-console.ts and docs/console.md).
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const STATIC_FILES = ['index.html', 'styles.css'];

/** Where `npm` scripts and the tests expect the bundle (git-ignored through `dist/`). */
export const DEFAULT_CONSOLE_DIR = resolve(HERE, '../../dist/console');

/**
 * esbuild keeps every zod locale (about 370 KB) for `import { z } from 'zod'`, but shakes them out of
 * `import * as z from 'zod'`; our sources (shared/ included) are read with the second form. Same module, same API.
 */
const zodNamespaceImport: Plugin = {
  name: 'zod-namespace-import',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"), loader: 'ts' };
    });
  },
};

export interface ConsoleBuild {
  readonly outDir: string;
  /** Bytes of `app.js`. */
  readonly bundleBytes: number;
}

export async function buildConsole(outDir: string = DEFAULT_CONSOLE_DIR): Promise<ConsoleBuild> {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(HERE, 'app/main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [zodNamespaceImport],
  });
  await Promise.all(STATIC_FILES.map((file) => copyFile(join(HERE, 'static', file), join(outDir, file))));
  const bundle = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('app.js'));
  return { outDir, bundleBytes: bundle?.[1].bytes ?? 0 };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildConsole(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_CONSOLE_DIR);
  console.log(`fleet console built in ${built.outDir} (app.js ${Math.round(built.bundleBytes / 1024)} KiB)`);
}
