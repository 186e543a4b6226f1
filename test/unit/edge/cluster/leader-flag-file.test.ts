import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderFlagFile } from '../../../../edge/cluster/leader-flag-file';

describe('LeaderFlagFile', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function flagPath(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-flag-'));
    dirs.push(dir);
    return path.join(dir, 'leader');
  }

  it('should remove a flag left by an earlier run', () => {
    // Arrange
    const file = flagPath();
    writeFileSync(file, '7\n');

    // Act
    new LeaderFlagFile(file);

    // Assert
    expect(existsSync(file)).toBe(false);
  });

  it("should hold the term and the agent's process id while leading and be gone once fenced", () => {
    // Arrange
    const file = flagPath();
    const flag = new LeaderFlagFile(file);

    // Act
    flag.elected({ term: '42' });
    const whileLeading = readFileSync(file, 'utf8');
    flag.fenced();

    // Assert
    expect(whileLeading).toBe(`42 ${process.pid}\n`);
    expect(existsSync(file)).toBe(false);
  });
});
