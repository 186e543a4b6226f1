/** Two demos on one machine (issue 16): each run has its own data folder, and a start never deletes a live run's data. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDemoDataDir } from '../../../demo/demo-data-dir';

describe('demo data folder', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ampshare-demo-dir-'));
  const configured = path.join(root, 'demo-data');
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("should give this run its own folder, keep a live run's database and clear an ended run's", () => {
    // Arrange: a live demo (this test's parent process) and one that has ended (a process that exited).
    const live = `${configured}-${process.ppid}`;
    mkdirSync(live, { recursive: true });
    writeFileSync(path.join(live, 'ampshare.sqlite'), 'live');
    const endedPid = spawnSync(process.execPath, ['-e', '']).pid;
    const ended = `${configured}-${endedPid}`;
    mkdirSync(ended);

    // Act
    const claimed = claimDemoDataDir(configured, process.pid);

    // Assert
    expect(claimed.dir).toBe(`${configured}-${process.pid}`);
    expect(existsSync(claimed.dir)).toBe(true);
    expect(existsSync(path.join(live, 'ampshare.sqlite'))).toBe(true);
    expect(existsSync(ended)).toBe(false);
    claimed.remove();
    expect(existsSync(claimed.dir)).toBe(false);
  });
});
