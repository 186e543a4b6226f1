/**
 * `npm run release`: the tarball a gateway installs, `dist/release/ampshare-<version>-linux-<arch>.tar.gz`. Inside,
 * `ampshare-<version>/`: `install.sh` and the systemd unit (packaging/), `site.example.json` (config/example-site.json),
 * and `release/`, what goes to /opt/ampshare/releases/<version>: the built agent and dashboard (`npm run build`), a
 * package.json, the LICENSE, `keepalived/` (a cluster node's keepalived template and track script, packaging/keepalived,
 * docs/cluster.md), `etcd/` (the script that writes an etcd member's settings, packaging/etcd), and a node_modules with only what the bundle leaves out (better-sqlite3, serialport, etcd3 and
 * what they need at run time), with the native binaries of the machine that built it (build on the gateway's
 * architecture: docs/install.md). Why a tarball and not a .deb: docs/install.md, "2. The release" (and README.md, "On a
 * gateway").
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { AGENT_DIST_DIR, AGENT_OPTIONAL_PACKAGES, AGENT_RUNTIME_PACKAGES, buildAgent } from './build-agent';
import { BROWSER_APPS, BROWSER_DIST_DIR, buildBrowserApp } from './build-browser';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODULES = path.join(ROOT, 'node_modules');

const ManifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});

/** Installs native binaries from the internet at `npm install`; the release carries the built binary instead. */
const INSTALL_TIME_ONLY = new Set(['prebuild-install']);
/** Of these packages only the files a `require` reaches (better-sqlite3's folder is 28 MB of C sources and objects). */
const ONLY_FILES: Record<string, readonly string[]> = {
  'better-sqlite3': ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node'],
};

const readManifest = (dir: string) =>
  ManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));

/** Where Node finds `name` from a package in `fromDir`: its own node_modules, then each parent's. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; dir.startsWith(MODULES); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  const top = path.join(MODULES, name);
  return existsSync(path.join(top, 'package.json')) ? top : undefined;
}

/** The package folders (under node_modules) the externals need at run time, their dependencies included. */
export function runtimeClosure(names: readonly string[], optionalNames: readonly string[] = []): string[] {
  const found = new Set<string>();
  const visit = (name: string, fromDir: string, optional: boolean) => {
    if (INSTALL_TIME_ONLY.has(name)) return;
    const dir = resolvePackage(name, fromDir);
    if (dir === undefined) {
      if (optional) return;
      throw new Error(`the release needs ${name}, which is not installed (npm ci first)`);
    }
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = readManifest(dir);
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of names) visit(name, MODULES, false);
  for (const name of optionalNames) visit(name, MODULES, true);
  return [...found].sort();
}

export interface Release {
  readonly version: string;
  /** The unpacked release, `ampshare-<version>/`. */
  readonly dir: string;
  readonly tarball: string;
}

/** Builds the agent and the dashboard, stages the release under `outDir` and packs it. */
export async function buildRelease(outDir: string = path.join(ROOT, 'dist/release')): Promise<Release> {
  const dashboard = BROWSER_APPS.find((app) => app.name === 'dashboard');
  if (dashboard === undefined) throw new Error('no dashboard app');
  await buildBrowserApp(dashboard);
  await buildAgent();
  const { version } = readManifest(ROOT);
  const name = `ampshare-${version}`;
  const dir = path.join(outDir, name);
  const release = path.join(dir, 'release');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(release, { recursive: true });

  cpSync(AGENT_DIST_DIR, path.join(release, 'dist/edge/agent'), { recursive: true });
  cpSync(path.join(BROWSER_DIST_DIR, 'dashboard'), path.join(release, 'dist/browser/dashboard'), { recursive: true });
  for (const packageDir of runtimeClosure(AGENT_RUNTIME_PACKAGES, AGENT_OPTIONAL_PACKAGES)) {
    const target = path.join(release, path.relative(ROOT, packageDir));
    const only = ONLY_FILES[path.relative(MODULES, packageDir)];
    if (only === undefined) cpSync(packageDir, target, { recursive: true });
    else for (const file of only) cpSync(path.join(packageDir, file), path.join(target, file), { recursive: true });
  }
  writeFileSync(
    path.join(release, 'package.json'),
    `${JSON.stringify({ name: 'ampshare-edge-agent', version, private: true, license: 'Apache-2.0', type: 'module', engines: { node: '>=20' }, builtWithNode: process.versions.node }, null, 2)}\n`,
  );
  cpSync(path.join(ROOT, 'LICENSE'), path.join(release, 'LICENSE'));
  cpSync(path.join(ROOT, 'packaging/keepalived'), path.join(release, 'keepalived'), { recursive: true });
  cpSync(path.join(ROOT, 'packaging/etcd'), path.join(release, 'etcd'), { recursive: true });
  cpSync(path.join(ROOT, 'packaging/install.sh'), path.join(dir, 'install.sh'));
  cpSync(path.join(ROOT, 'packaging/ampshare.service'), path.join(dir, 'ampshare.service'));
  cpSync(path.join(ROOT, 'config/example-site.json'), path.join(dir, 'site.example.json'));

  const tarball = path.join(outDir, `${name}-linux-${process.arch}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', outDir, name]);
  return { version, dir, tarball };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { tarball } = await buildRelease();
  console.log(`release: ${tarball}`);
}
