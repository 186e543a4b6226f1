/**
 * The release tests' common steps: build and unpack the tarball, copy it as a newer version, write a site into a
 * scratch root and start the installed agent there as the unit does.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import { buildRelease, type Release } from '../../../../scripts/build-release';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

export const BootAnswerSchema = z.object({
  status: z.enum(['Accepted', 'Pending', 'Rejected']),
  interval: z.number(),
});

/** The node flags of package.json's `agent` script (the unit's ExecStart carries the same). */
export const agentScriptFlags = () => {
  const scripts = z
    .object({ scripts: z.object({ agent: z.string() }) })
    .parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))).scripts;
  return /^node ((?:--\S+ )+)/.exec(scripts.agent)?.[1]?.trim();
};

/** Builds the release tarball into `work/out` and unpacks it into `work` (as `ampshare-<version>/`). */
async function unpackedRelease(work: string): Promise<Release> {
  const release = await buildRelease(path.join(work, 'out'));
  execFileSync('tar', ['-xzf', release.tarball, '-C', work]);
  return release;
}

/** A describe block's scratch folder with the release unpacked in it and a root to install into (set in its beforeAll). */
export interface ScratchInstall {
  readonly work: string;
  readonly root: string;
  readonly release: Release;
  /** Runs the unpacked release's install.sh in `dir` into the scratch root, with `args`. */
  install(dir: string, ...args: string[]): string;
}

/** Registers the beforeAll that builds and unpacks the release into a new scratch folder, and the afterAll that removes it. */
export function scratchInstall(prefix: string): ScratchInstall {
  const state = {} as { work: string; root: string; release: Release };
  beforeAll(async () => {
    state.work = mkdtempSync(path.join(os.tmpdir(), prefix));
    state.root = path.join(state.work, 'root');
    state.release = await unpackedRelease(state.work);
  }, 60_000);
  afterAll(() => rmSync(state.work, { recursive: true, force: true }));
  return {
    get work() {
      return state.work;
    },
    get root() {
      return state.root;
    },
    get release() {
      return state.release;
    },
    install: (dir, ...args) =>
      execFileSync('bash', [path.join(dir, 'install.sh'), '--root', state.root, ...args], { encoding: 'utf8' }),
  };
}

/** Copies the unpacked release `release` to `toDir` as version `version` (the same code, a newer version to upgrade to). */
export function asVersion(release: string, toDir: string, version: string): void {
  const from = z
    .object({ version: z.string() })
    .parse(JSON.parse(readFileSync(path.join(release, 'release/package.json'), 'utf8')));
  cpSync(release, toDir, { recursive: true });
  const manifest = path.join(toDir, 'release/package.json');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace(`"version": "${from.version}"`, `"version": "${version}"`),
  );
}

/** A one-charger site on free ports, its data in the scratch root's /var/lib/ampshare. */
export function writeSite(root: string): string {
  const file = path.join(root, 'etc/ampshare/site.json');
  const site = {
    $schemaVersion: 1,
    site: {
      $schemaVersion: 1,
      id: 'release-test',
      circuits: [{ id: 'main', parent: null, fuseAmps: 32 }],
      chargers: [{ id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 16 }],
    },
    policy: { $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 } },
    ocpp: { host: '127.0.0.1', port: 0, basicAuth: false },
    dashboard: { host: '127.0.0.1', port: 0 },
    dataDir: path.join(root, 'var/lib/ampshare'),
  };
  writeFileSync(file, JSON.stringify(site));
  return file;
}

/** The Node 22 lane (scripts/node22-lane.sh) gives node its SQLite addon through these; nothing else is passed on. */
const LANE_ENV = Object.fromEntries(
  ['NODE_OPTIONS', 'AMPSHARE_NODE22_SQLITE_ADDON'].flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value]];
  }),
);

/** Starts the installed agent as the unit does (its node flags, its entry), from the scratch root. */
export async function startInstalled(root: string, flags: string, config: string) {
  const current = path.join(root, 'opt/ampshare/current');
  const child = spawn(process.execPath, [...flags.split(' '), 'dist/edge/agent/start.mjs', '--config', config], {
    cwd: current,
    env: { PATH: process.env.PATH ?? '', ...LANE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const urls = await new Promise<{ ocpp: string; dashboard: string }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const running = /"ocpp":"(ws:[^"]+)","dashboard":"(http:[^"]+)"/.exec(log);
      if (running?.[1] && running[2]) resolve({ ocpp: running[1], dashboard: running[2] });
    });
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the installed agent exited with ${code}: ${log}`)));
  });
  return { child, urls };
}

export const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
