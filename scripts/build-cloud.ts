/**
 * `npm run build`: each Lambda handler of cloud/handlers bundled as the CDK deploys it (infra/lambda-bundling.ts, the one
 * definition both read), to `dist/cloud/<handler>/index.mjs`: what a deployment uploads, to inspect or to deploy by
 * other means than `cdk deploy`. `@aws-sdk/*` stays out, as the Lambda runtime provides it; so a built handler loads
 * where that SDK resolves (in the runtime, or under this repository's node_modules).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import {
  HANDLER_BUNDLING,
  HANDLER_NAMES,
  HANDLER_OUT_FILE,
  handlerEntry,
  PROJECT_ROOT,
  type HandlerName,
} from '../infra/lambda-bundling';

/** Where the handlers are written, one folder each. */
export const CLOUD_DIST_DIR = join(fileURLToPath(new URL('..', import.meta.url)), 'dist/cloud');

/** esbuild's options for one handler's bundle (infra/lambda-bundling.ts), its output file aside. */
export function handlerBuildOptions(name: HandlerName): BuildOptions {
  return {
    ...HANDLER_BUNDLING,
    external: [...HANDLER_BUNDLING.external],
    mainFields: [...HANDLER_BUNDLING.mainFields],
    entryPoints: [handlerEntry(name)],
    absWorkingDir: PROJECT_ROOT,
  };
}

export interface BuiltHandler {
  readonly name: HandlerName;
  /** The bundle, `<outDir>/<name>/index.mjs`. */
  readonly file: string;
  readonly bytes: number;
}

/** Bundles every handler into `outDir/<name>/` (replacing what was there); returns the files written. */
export async function buildCloudHandlers(outDir: string = CLOUD_DIST_DIR): Promise<BuiltHandler[]> {
  return Promise.all(
    HANDLER_NAMES.map(async (name) => {
      const file = join(outDir, name, HANDLER_OUT_FILE);
      await rm(join(outDir, name), { recursive: true, force: true });
      const result = await build({
        ...handlerBuildOptions(name),
        outfile: file,
        metafile: true,
        logLevel: 'warning',
      });
      const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
      return { name, file, bytes };
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildCloudHandlers();
  console.log(
    `cloud handlers built in ${CLOUD_DIST_DIR}: ${built.map((h) => `${h.name} ${Math.round(h.bytes / 1024)} KiB`).join(', ')}`,
  );
}
