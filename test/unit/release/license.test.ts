/** The licence a company adopting Ampshare checks first: one file, one SPDX id in package.json, the same in both. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('licence', () => {
  it('should ship the Apache License 2.0 text and name it in package.json', () => {
    // Arrange
    const manifest = z
      .object({ license: z.string() })
      .parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')));

    // Act
    const text = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');

    // Assert
    expect(manifest.license).toBe('Apache-2.0');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('Grant of Patent License');
  });
});
