/**
 * Bundles one browser app (the fleet console, the edge dashboard) with esbuild: one minified ESM file and its source
 * map, kept in memory for scripts/build-browser.ts to write, with the source files it read.
 */
import { build } from 'esbuild';
import { zodNamespaceImport } from './zod-namespace-import';

export interface BrowserBundle {
  /** `app.js` and `app.js.map`, by file name. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Bytes of `app.js`. */
  readonly bundleBytes: number;
  /** Every file esbuild read, relative to `rootDir` (node_modules included). */
  readonly inputs: readonly string[];
}

/** Bundles `entryPoint` (relative to `rootDir`) into `app.js` (+ map) for browsers that run ES2022 modules. */
export async function bundleBrowserApp(rootDir: string, entryPoint: string): Promise<BrowserBundle> {
  const result = await build({
    absWorkingDir: rootDir,
    entryPoints: [entryPoint],
    outfile: 'app.js',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [zodNamespaceImport],
  });
  const files = new Map(
    result.outputFiles.map((file) => [file.path.slice(file.path.lastIndexOf('/') + 1), file.contents]),
  );
  return { files, bundleBytes: files.get('app.js')?.byteLength ?? 0, inputs: Object.keys(result.metafile.inputs) };
}
