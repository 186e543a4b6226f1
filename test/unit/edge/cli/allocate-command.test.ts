import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { example, inProcess, REPO, tempFile } from './command-harness';

const run = promisify(execFile);

describe('npm run allocate', () => {
  it('should print the connector and circuit tables for the example site, as a real process', async () => {
    const { stdout } = await run('npx', ['tsx', 'edge/cli/allocate-command.ts', example('office-trial.json')], {
      cwd: REPO,
    });
    expect(stdout).toMatch(/^connector\s+phases\s+L1 A\s+L2 A\s+L3 A\s+state\s+reason/m);
    expect(stdout).toMatch(/^G-01\/1\s+3\s+26\.0\s+26\.0\s+26\.0\s+active\s+vip \(VIP\)/m);
    expect(stdout).toMatch(/^grid\s+56\.0 \/ 56\.0/m);
    expect(stdout).toContain('budget 50 kW (static)');
  });

  it('should list every bad field with its path and exit 2', async () => {
    const file = await tempFile(
      JSON.stringify({
        $schemaVersion: 1,
        site: { $schemaVersion: 1, id: 'x y', circuits: [{ id: 'a', parent: null, fuseAmps: -1 }], chargers: [] },
        policy: { $schemaVersion: 1, budget: { unit: 'kW', min: 40, max: 30 }, bogus: 1 },
      }),
    );
    const result = await inProcess([file]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('site.id: only letters');
    expect(result.err).toContain('site.circuits[0].fuseAmps');
    expect(result.err).toContain('policy: Unrecognized key: "bogus"');
    expect(result.err).toContain('policy.budget.min: min 40 is above max 30');
  });

  it('should allocate for every connector plugged in when the file has no state', async () => {
    const file = await tempFile(
      JSON.stringify({
        $schemaVersion: 1,
        site: {
          $schemaVersion: 1,
          id: 's',
          circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
          chargers: [
            { id: 'A', circuit: 'grid', phases: 3, maxAmps: 32 },
            { id: 'B', circuit: 'grid', phases: 3, maxAmps: 32 },
          ],
        },
        policy: { $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 40 } },
      }),
    );
    const result = await inProcess([file, '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.out) as {
      warnings: unknown[];
      rounds: Array<{ allocation: { connectors: Array<{ ref: string; amps: number }> } }>;
    };
    expect(output.warnings).toEqual([]);
    expect(output.rounds).toHaveLength(1);
    expect(output.rounds[0]!.allocation.connectors.map((c) => [c.ref, c.amps])).toEqual([
      ['A/1', 20],
      ['B/1', 20],
    ]);
  });

  it.each([
    ['no file', [], 'usage:'],
    ['two files', ['a.json', 'b.json'], 'usage:'],
    ['an unknown option', ['--fast', 'a.json'], "Unknown option '--fast'"],
    ['a missing file', ['/nonexistent/trial.json'], 'ENOENT'],
  ])('should refuse %s with exit code 2', async (_name, args, message) => {
    const result = await inProcess(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('should refuse a file that is not JSON', async () => {
    const result = await inProcess([await tempFile('{ not json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/trial\.json: .*JSON/);
  });
});
