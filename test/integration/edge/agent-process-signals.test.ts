/**
 * Issue 12, finding 5, as an operator stops the service: the agent's own command (`edge/start.ts`), sent SIGTERM with a
 * charger connected, says goodbye with a 1001 close frame (it dropped the connection: 1006) and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { edgeConfig, passwordOf } from './support/edge-fixture';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WAIT_MS = 30_000;

/** The OCPP URL from the agent's "edge agent running" log line. */
function ocppUrlOf(agent: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the agent did not say it runs')), WAIT_MS);
    if (agent.stdout === null) throw new Error('no stdout');
    createInterface({ input: agent.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; ocpp?: string };
      if (entry.msg !== 'edge agent running' || entry.ocpp === undefined) return;
      clearTimeout(timer);
      resolve(entry.ocpp);
    });
    agent.once('exit', (code) => reject(new Error(`the agent exited with ${code}`)));
  });
}

describe('edge agent process: stopping on a signal', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('should close charger connections with 1001 and exit 0 on SIGTERM', async () => {
    // Arrange
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-signal-'));
    dirs.push(dir);
    const configFile = path.join(dir, 'site.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        ...edgeConfig({ chargers: 1 }, path.join(dir, 'data')),
        dashboard: { enabled: false },
        logging: { level: 'info' },
      }),
    );
    const agent = spawn(process.execPath, ['--import', 'tsx', 'edge/start.ts', '--config', configFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
    const charger = rawChargePoint({
      endpoint: await ocppUrlOf(agent),
      identity: 'CP-1',
      password: passwordOf('CP-1'),
    });
    await charger.connect();
    const bye = new Promise<{ code: number }>((resolve) => charger.once('close', resolve));

    // Act
    agent.kill('SIGTERM');

    // Assert
    expect((await bye).code).toBe(1001);
    expect(await exited).toBe(0);
  });
});
