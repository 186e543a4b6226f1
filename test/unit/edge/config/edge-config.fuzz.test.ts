/**
 * Boundary fuzz: configuration files. The shipped example, mutated at random (a key dropped, a value replaced by any
 * JSON, the text cut short, a huge or deeply nested value): loading answers a valid configuration or `config.invalid`
 * naming what is wrong, never another error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { loadEdgeConfig } from '../../../../edge/config/load-config';

const example = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../../../config/example-site.json'), 'utf8'),
) as unknown;
const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-config-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every path to a value inside `value`. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...at, k]))];
}
const paths = pathsOf(example).filter((p) => p.length > 0);

/** `value` with the thing at `where` replaced (or dropped when `replacement` is undefined). */
function mutate(value: unknown, where: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of where.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = where.at(-1)!;
  if (replacement === undefined && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** Stands for a value nested 5,000 deep, spliced into the text (building it as a value would overflow the test's own stack). */
const DEEP = '\u0000deep';
const DEEP_TEXT = '['.repeat(5_000) + '1' + ']'.repeat(5_000);
const replacement = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(-1, 0, 1e308, -1e308, '', 'x'.repeat(100_000), [], {}, DEEP),
);
const configText = fc.oneof(
  fc
    .tuple(fc.constantFrom(...paths), replacement)
    .map(([where, value]) => JSON.stringify(mutate(example, where, value)).replace(JSON.stringify(DEEP), DEEP_TEXT)),
  fc.integer({ min: 0, max: JSON.stringify(example).length - 1 }).map((cut) => JSON.stringify(example).slice(0, cut)),
  fc.string({ maxLength: 200 }),
);

describe('edge configuration boundary fuzz', () => {
  it('should load or refuse every mutated configuration with config.invalid, never another error', () => {
    const file = path.join(dir, 'site.json');
    let refused = 0;
    fc.assert(
      fc.property(configText, (text) => {
        writeFileSync(file, text);
        try {
          loadEdgeConfig(file);
        } catch (error) {
          if (!AppError.match(error, 'config.invalid')) throw error;
          expect(error.message.length).toBeGreaterThan(0);
          refused++;
        }
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(refused).toBeGreaterThan(100);
  });

  it('should refuse a configuration file larger than the limit before reading it', () => {
    // Arrange: 5 MiB of whitespace around a valid configuration
    const file = path.join(dir, 'huge.json');
    writeFileSync(file, JSON.stringify(example) + ' '.repeat(5 * 1024 * 1024));

    // Act
    const run = () => loadEdgeConfig(file);

    // Assert
    expect(run).toThrow(/larger than 4 MiB/);
  });
});
