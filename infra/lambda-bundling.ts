/**
 * How every Lambda handler is bundled: one definition read by the CDK functions (infra/fleet-function.ts) and by the
 * bundle-size benchmark, so the benchmark measures what is deployed.
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

/** The Lambda runtime's Node major, and esbuild's target for it. */
export const NODE_TARGET = 'node22';

/** The AWS SDK v3 is part of the Node.js Lambda runtime, so it stays out of the bundles. */
export const EXTERNAL_MODULES = ['@aws-sdk/*'];

/**
 * ESM output (top-level await and tree-shaking of ESM dependencies); CommonJS dependencies that `require` Node
 * built-ins need a real `require`, which the banner provides.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __ampshareCreateRequire } from 'node:module'; const require = __ampshareCreateRequire(import.meta.url);";

/** Prefer the ESM build of a dependency when it ships both. */
export const MAIN_FIELDS = ['module', 'main'];
