/**
 * The keepalived template's notify line and its script, against the agent's systemd unit: the state file must outlive
 * the agent (keepalived writes it whenever its instance changes state, the agent only reads it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const NOTIFY_SCRIPT = path.resolve('packaging/keepalived/notify-state.sh');
const template = readFileSync('packaging/keepalived/keepalived.conf', 'utf8');
const unit = readFileSync('packaging/ampshare.service', 'utf8');

describe("keepalived's state file", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("should be written outside the agent's runtime folder, which systemd removes whenever the agent stops", () => {
    // Arrange
    const notify = /notify "\S+ (\S+)"/.exec(template)?.[1];
    const runtime = /^RuntimeDirectory=(\S+)$/m.exec(unit)?.[1];

    // Assert: a state written while the agent is down (or before its restart) is still there when it starts again
    expect(notify).toMatch(/^\/run\//);
    expect(runtime).toBeDefined();
    expect(path.relative(`/run/${runtime}`, notify!).startsWith('..')).toBe(true);
  });

  it('should make its folder when it is missing, as it is after each boot (/run is a tmpfs)', () => {
    // Arrange
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-notify-'));
    const file = path.join(dir, 'ampshare-keepalived', 'state');

    // Act: as keepalived calls it: <file> then its own arguments (type, instance, state, priority)
    execFileSync(NOTIFY_SCRIPT, [file, 'INSTANCE', 'site', 'BACKUP', '100']);

    // Assert
    expect(readFileSync(file, 'utf8')).toBe('BACKUP\n');
  });
});
