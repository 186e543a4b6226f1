import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleAssetFolder } from '../../../infra/console-site';

describe('consoleAssetFolder', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('should deploy the console npm run build wrote, and the placeholder page before any build', () => {
    // Arrange
    root = `${mkdtempSync(join(tmpdir(), 'ampshare-infra-root-'))}/`;
    const before = consoleAssetFolder(root);

    // Act
    mkdirSync(join(root, 'dist/browser/console'), { recursive: true });
    writeFileSync(join(root, 'dist/browser/console/index.html'), '<!doctype html>');
    const after = consoleAssetFolder(root);

    // Assert
    expect(before).toBe(`${root}infra/console-placeholder`);
    expect(after).toBe(`${root}dist/browser/console`);
  });
});
