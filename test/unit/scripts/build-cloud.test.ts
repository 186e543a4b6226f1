/**
 * `npm run build`'s cloud half (issue 16): every Lambda handler bundled to dist/cloud/<handler>/index.mjs, loadable by
 * a plain node with nothing beside it but the AWS SDK (what the Lambda runtime provides), no credentials, no network.
 * That the bundles are the CDK's own, byte for byte: test/unit/infra/fleet-infra.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_NAMES } from '../../../infra/lambda-bundling';
import { buildCloudHandlers, type BuiltHandler } from '../../../scripts/build-cloud';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The type of what a built handler exports as `handler`, read by a child node whose environment is PATH alone. */
const handlerTypeOf = (file: string) =>
  execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();

describe('npm run build: the cloud handlers', () => {
  let outDir: string;
  let built: BuiltHandler[];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'ampshare-cloud-build-'));
    built = await buildCloudHandlers(outDir);
    // The Lambda runtime's AWS SDK v3, and nothing else: a package the bundle should carry but does not fails to load.
    mkdirSync(join(outDir, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules/@aws-sdk'), join(outDir, 'node_modules/@aws-sdk'));
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('should write one index.mjs per handler, under the api budget of 1 MiB', () => {
    // Assert
    expect(built.map((h) => h.file)).toEqual(HANDLER_NAMES.map((name) => join(outDir, name, 'index.mjs')));
    expect(built.find((h) => h.name === 'api')?.bytes).toBeLessThan(1024 * 1024);
  });

  it.each(HANDLER_NAMES)('should load the built %s handler in plain node and find its handler function', (name) => {
    // Act
    const handlerType = handlerTypeOf(join(outDir, name, 'index.mjs'));

    // Assert
    expect(handlerType).toBe('function');
  });
});
