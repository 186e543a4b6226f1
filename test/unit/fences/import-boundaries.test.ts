/**
 * The import-boundary fence fails when broken: each fixture tree under test/fixtures/fences/ plants one kind of
 * forbidden import (or a cycle) and the real .dependency-cruiser.js must report exactly it; the clean tree, which
 * takes every allowed direction once, must pass.
 */
import path from 'node:path';
import { cruise, format, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/fences');

let options: ICruiseOptions;

beforeAll(async () => {
  options = await extractDepcruiseOptions(path.join(ROOT, '.dependency-cruiser.js'));
});

/**
 * Cruises one fixture tree with the real rules (its paths are relative to the tree, as the repo's are to the root):
 * the violations, and the exit code `depcruise` would end with (what fails `npm run fences:deps`).
 */
async function cruiseFixture(fixture: string): Promise<{ violations: string[]; exitCode: number }> {
  const { output } = await cruise(['.'], { ...options, baseDir: path.join(FIXTURES, fixture) });
  const result = output as ICruiseResult;
  const { exitCode } = await format(result, { outputType: 'err' });
  const named = (to: string) => to.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, 'npm:$1');
  const violations = result.summary.violations.map(
    (violation) => `${violation.rule.name}: ${violation.from} → ${named(violation.to)}`,
  );
  return { violations: violations.sort(), exitCode };
}

describe('import-boundary fence (.dependency-cruiser.js)', () => {
  it('should pass a tree that takes every allowed direction', async () => {
    const { violations, exitCode } = await cruiseFixture('clean');

    expect(violations).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it.each([
    ['shared-imports-edge', ['shared-imports-only-shared: shared/limits.ts → edge/config/site-file.ts']],
    ['shared-imports-node-fs', ['shared-no-node-builtins: shared/site-file.ts → fs']],
    ['shared-imports-package', ['shared-only-pure-packages: shared/log.ts → npm:pino']],
    ['cycle', ['no-circular: shared/site/charger.ts → shared/site/connector.ts']],
    [
      'control-imports-ocpp',
      ['control-imports-no-adapter: edge/control/load-controller.ts → edge/ocpp/central-system.ts'],
    ],
    ['sim-imports-edge', ['sim-not-to-edge-or-cloud: sim/charger/sim-charger.ts → edge/ocpp/charging-profile.ts']],
    ['edge-imports-cloud', ['edge-not-to-cloud: edge/demo/demo-cloud.ts → cloud/local/start-local-cloud.ts']],
    ['edge-imports-sim', ['edge-not-to-sim-or-demo: edge/demo/start-demo.ts → sim/scenario/site-simulator.ts']],
    [
      'browser-imports-edge',
      ['browser-imports-only-browser-and-shared: browser/dashboard/load-page.ts → edge/dashboard/api-answers.ts'],
    ],
    ['browser-imports-package', ['browser-only-listed-packages: browser/console/log.ts → npm:pino']],
    [
      'edge-imports-browser',
      ['only-tests-import-browser: edge/dashboard/dashboard-assets.ts → browser/dashboard/main.ts'],
    ],
    [
      'infra-imports-cloud-internals',
      ['infra-only-handler-entries: infra/data-stack.ts → cloud/db/session-repository.ts'],
    ],
    [
      'runtime-imports-build-tools',
      [
        'runtime-not-to-esbuild: cloud/console/build-console.ts → npm:esbuild',
        'runtime-not-to-scripts: edge/dashboard/dashboard-assets.ts → scripts/browser-bundle.ts',
      ],
    ],
  ])('should report the planted violation in %s', async (fixture, expected) => {
    const { violations, exitCode } = await cruiseFixture(fixture);

    expect(violations).toEqual(expected);
    expect(exitCode).toBeGreaterThan(0);
  });

  it('should leave the fixtures out of the real run', () => {
    const exclude = options.exclude;
    const pattern = typeof exclude === 'object' && !Array.isArray(exclude) ? exclude.path : exclude;
    expect(new RegExp(String(pattern)).test('test/fixtures/fences/cycle/shared/site/charger.ts')).toBe(true);
  });
});
