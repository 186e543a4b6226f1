/** `npm start`: the command a site runs, with the V8 heap bounds docs/configuration.md explains ("Memory"). */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const startScript = scripts.start!;

describe('npm start', () => {
  it('should run node itself with a bounded heap: 256 MB old space, 4 MB semi-spaces', () => {
    expect(startScript).toBe('node --max-old-space-size=256 --max-semi-space-size=4 --import tsx demo/start.ts');
  });

  it('should first build the browser apps when their bundles are missing or stale, as npm run cloud:local does', () => {
    expect(scripts.prestart).toBe('tsx scripts/build-browser.ts --if-stale');
    expect(scripts['precloud:local']).toBe('tsx scripts/build-browser.ts --if-stale');
    expect(scripts.build).toBe(
      'tsx scripts/build-browser.ts && tsx scripts/build-agent.ts && tsx scripts/build-cloud.ts',
    );
  });

  it('should run the agent alone when given arguments', async () => {
    // Arrange
    const [node, ...args] = startScript.split(' ');

    // Act
    const { stdout } = await promisify(execFile)(node === 'node' ? process.execPath : node!, [...args, '--help'], {
      cwd: ROOT,
    });

    // Assert
    expect(stdout).toMatch(/^usage: npm start \[-- --config <site\.json>\]/);
  });

  it('should run the built agent (npm run agent) with node alone, building it first when stale', async () => {
    // Arrange
    expect(scripts.preagent).toBe('tsx scripts/build-browser.ts --if-stale && tsx scripts/build-agent.ts --if-stale');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-agent.ts', '--if-stale'], {
      cwd: ROOT,
    });
    const [node, ...args] = scripts.agent!.split(' ');

    // Act
    const { stdout } = await promisify(execFile)(node === 'node' ? process.execPath : node!, [...args, '--help'], {
      cwd: ROOT,
    });

    // Assert
    expect(args.some((arg) => arg.includes('tsx'))).toBe(false);
    expect(stdout).toMatch(/^usage: npm start \[-- --config <site\.json>\]/);
  });

  it("should give the agent's own command (what a gateway's service runs) its usage without arguments, not the demo", async () => {
    // Act
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'edge/start.ts'], { cwd: ROOT }).catch(
      (error: { code: number; stdout: string }) => error,
    );

    // Assert
    expect(run).toMatchObject({ code: 2, stdout: expect.stringMatching(/^usage: npm start/) as unknown });
  });
});
