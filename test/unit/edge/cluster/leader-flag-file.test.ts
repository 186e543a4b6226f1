import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
    new LeaderFlagFile(file, () => true);

    // Assert
    expect(existsSync(file)).toBe(false);
  });

  it("should hold the term and the agent's process id while leading and be gone once fenced", () => {
    // Arrange
    const file = flagPath();
    const flag = new LeaderFlagFile(file, () => true);

    // Act
    flag.elected({ term: '42' });
    const whileLeading = readFileSync(file, 'utf8');
    flag.fenced();

    // Assert
    expect(whileLeading).toBe(`42 ${process.pid}\n`);
    expect(existsSync(file)).toBe(false);
  });

  it('should keep the flag fresh while the node serves, and let it go stale once it does not', () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const file = flagPath();
    let serving = true;
    const flag = new LeaderFlagFile(file, () => serving, 1_000);
    flag.elected({ term: '42' });
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const mtime = () => statSync(file).mtimeMs;

    try {
      // Act
      utimesSync(file, past, past);
      vi.advanceTimersByTime(1_000);
      const refreshed = mtime();
      serving = false;
      utimesSync(file, past, past);
      vi.advanceTimersByTime(3_000);
      const whileNotServing = mtime();
      flag.fenced();

      // Assert
      expect(refreshed).toBeGreaterThan(past.getTime() + 30_000);
      expect(whileNotServing).toBe(past.getTime());
      expect(existsSync(file)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
