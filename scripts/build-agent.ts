/**
 * `npm run build` (with the browser apps): the edge agent as plain JavaScript for Node, `dist/edge/agent/start.mjs`
 * from `edge/start.ts` (and `backup.mjs`, the online backup of its database), run with `node` alone (no tsx, no devDependencies). Bundled with esbuild, minus the native
 * modules (better-sqlite3, serialport's bindings) and the packages that load files beside themselves at run time,
 * which stay in node_modules. The cloud link is a separate chunk, loaded only when the site file has a `sync` section.
 *
 * The bundle sits three folders deep, as `edge/dashboard/http/dashboard-assets.ts` does in the sources, so that its
 * `../../../dist/browser/dashboard/` finds the dashboard in both.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { isStaleBuild, writeBuildRecord } from './build-record';
import { zodNamespaceImport } from './zod-namespace-import';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The built agent's folder and entry. */
export const AGENT_DIST_DIR = join(ROOT, 'dist/edge/agent');
export const AGENT_ENTRY = join(AGENT_DIST_DIR, 'start.mjs');
const RECORD = join(ROOT, 'dist/edge/agent.sources.json');
const BUILD_INPUTS = [
  'scripts/build-agent.ts',
  'scripts/build-record.ts',
  'scripts/zod-namespace-import.ts',
  'package-lock.json',
];

/**
 * Loaded from node_modules at run time: native addons, etcd3 (the cluster's client: gRPC loads its .proto files from
 * beside itself), and what `ws` tries optionally. Everything else is bundled, so
 * that a release needs only these (and their own dependencies) in its node_modules.
 */
export const AGENT_RUNTIME_PACKAGES = ['better-sqlite3', 'serialport', 'etcd3'];
/** `ws` uses these when they are installed (they are not here), and works without. */
export const AGENT_OPTIONAL_PACKAGES = ['bufferutil', 'utf-8-validate'];
const AGENT_EXTERNALS = [...AGENT_RUNTIME_PACKAGES, '@serialport/*', ...AGENT_OPTIONAL_PACKAGES];

/**
 * ocpp-rpc compiles the JSON schemas of OCPP 1.6, 2.0.1 and 2.1 into three validators when it is loaded (1.6 MB of
 * JSON); the agent speaks 1.6 alone (its server and its upstream links offer only `ocpp1.6`), so the bundle carries
 * the 1.6 schemas and an empty list for the others, whose validators then know no action.
 */
const ocpp16SchemasOnly: Plugin = {
  name: 'ocpp16-schemas-only',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /ocpp-rpc[\\/]lib[\\/]schemas[\\/]ocpp2_(0_1|1)\.json$/ }, () => ({
      contents: '[]',
      loader: 'json',
    }));
  },
};

/** CommonJS packages in an ES module bundle call `require`: give them Node's. */
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

export function isAgentStale(): Promise<boolean> {
  return isStaleBuild({
    root: ROOT,
    record: RECORD,
    outputs: [AGENT_ENTRY, join(AGENT_DIST_DIR, 'backup.mjs')],
    alwaysInputs: BUILD_INPUTS,
  });
}

/**
 * Bundles the agent into `AGENT_DIST_DIR`; returns the bytes of every file written and esbuild's metafile (which
 * module each file imports, and how). With `write: false` nothing is written: a test reads what would be.
 */
export async function buildAgent({ write = true } = {}): Promise<{
  readonly files: Readonly<Record<string, number>>;
  readonly metafile: Metafile;
}> {
  const startedAt = new Date();
  if (write) await rm(AGENT_DIST_DIR, { recursive: true, force: true });
  const result = await build({
    write,
    absWorkingDir: ROOT,
    entryPoints: { start: 'edge/start.ts', backup: 'edge/cli/backup-command.ts' },
    outdir: AGENT_DIST_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: ['node20'],
    external: AGENT_EXTERNALS,
    banner: { js: REQUIRE_SHIM },
    sourcemap: true,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    plugins: [zodNamespaceImport, ocpp16SchemasOnly],
  });
  if (write) await writeBuildRecord(RECORD, Object.keys(result.metafile.inputs), startedAt);
  const files = Object.fromEntries(
    Object.entries(result.metafile.outputs)
      .filter(([path]) => path.endsWith('.mjs'))
      .map(([path, output]) => [path.slice(path.lastIndexOf('/') + 1), output.bytes]),
  );
  return { files, metafile: result.metafile };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv.includes('--if-stale') || (await isAgentStale())) {
    const { files } = await buildAgent();
    const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
    console.log(
      `agent built in ${AGENT_DIST_DIR}: ${Object.entries(files)
        .map(([f, b]) => `${f} ${kib(b)}`)
        .join(', ')}`,
    );
  }
}
