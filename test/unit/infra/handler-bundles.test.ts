/**
 * `npm run build` writes the handlers the CDK deploys (issue 16): a FleetFunction per handler, synthesized (the CDK runs
 * esbuild with its bundling props), leaves in its asset folder the very bytes scripts/build-cloud.ts writes, because both
 * read infra/lambda-bundling.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetFunction } from '../../../infra/fleet-function';
import { HANDLER_NAMES, HANDLER_OUT_FILE } from '../../../infra/lambda-bundling';
import { buildCloudHandlers, type BuiltHandler } from '../../../scripts/build-cloud';

describe('Lambda bundles: npm run build and the CDK', () => {
  let work: string;
  let deployed: Buffer[];
  let built: BuiltHandler[];

  beforeAll(async () => {
    // Arrange
    work = mkdtempSync(join(tmpdir(), 'ampshare-handler-bundles-'));
    const app = new App({ outdir: join(work, 'cdk.out') });
    const stack = new Stack(app, 'Handlers');
    for (const handler of HANDLER_NAMES)
      new FleetFunction(stack, handler, { handler, description: handler, environment: {} });
    app.synth();
    deployed = readdirSync(join(work, 'cdk.out'))
      .filter((entry) => entry.startsWith('asset.'))
      .map((asset) => readFileSync(join(work, 'cdk.out', asset, HANDLER_OUT_FILE)));
    built = await buildCloudHandlers(join(work, 'dist'));
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(HANDLER_NAMES)('should build the %s handler byte for byte as the CDK bundles it', (name) => {
    // Act
    const file = built.find((handler) => handler.name === name)?.file ?? '';
    const bytes = readFileSync(file);

    // Assert
    expect(deployed).toHaveLength(HANDLER_NAMES.length);
    expect(deployed.filter((asset) => asset.equals(bytes))).toHaveLength(1);
  });
});
