/**
 * How every Lambda handler is bundled: one definition read by the CDK functions (infra/fleet-function.ts), by
 * `npm run build` (scripts/build-cloud.ts, into dist/cloud/<name>/) and by the bundle-size benchmark, so that what is
 * built and measured is what is deployed (test/unit/infra/fleet-infra.test.ts compares the two byte for byte).
 */

/** The handlers, by name: each is `cloud/handlers/<name>.ts` exporting `handler`. */
export const HANDLER_NAMES = ['api', 'ingest', 'shadow-sync', 'policy-push'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The entry file of a handler, absolute. */
export function handlerEntry(name: HandlerName): string {
  return new URL(`../cloud/handlers/${name}.ts`, import.meta.url).pathname;
}

/** The repository root (esbuild's working directory and the lock file's folder). */
export const PROJECT_ROOT = new URL('..', import.meta.url).pathname;

/** The file NodejsFunction writes an ESM bundle to, in the function's asset folder. */
export const HANDLER_OUT_FILE = 'index.mjs';

/**
 * The esbuild options of every handler's bundle, in esbuild's own names (infra/ may not import esbuild, so they are
 * typed by their values; scripts/ and bench/ pass them to esbuild, fleet-function.ts to NodejsFunction, which runs
 * `esbuild --bundle <entry> --platform=node` with them and nothing else, sourcemaps off):
 * - minified ESM for the Lambda runtime's Node (22): top-level await, and tree-shaking of ESM dependencies;
 * - the AWS SDK v3 left out: it is part of the Node.js Lambda runtime;
 * - the ESM build of a dependency preferred when it ships both;
 * - a real `require` for the CommonJS dependencies that `require` Node built-ins.
 */
export const HANDLER_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  target: 'node22',
  external: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __ampshareCreateRequire } from 'node:module'; const require = __ampshareCreateRequire(import.meta.url);",
  },
} as const;
