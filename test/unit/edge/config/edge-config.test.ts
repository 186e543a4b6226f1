import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { parseCliArgs } from '../../../../edge/config/cli-args';
import { loadEdgeConfig, parseEdgeConfig } from '../../../../edge/config/load-config';

const repoConfig = (name: string) => path.join(import.meta.dirname, '../../../../config', name);

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (AppError.match(error, 'config.invalid')) return error;
    throw error;
  }
  throw new Error('expected a config.invalid error');
}

describe('edge configuration', () => {
  it.each(['demo-site.json', 'example-site.json'])('should accept the shipped %s', (name) => {
    const config = loadEdgeConfig(repoConfig(name));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.site.chargers.length).toBeGreaterThan(0);
  });

  it('should serve the dashboard on this machine by default, with no admin password', () => {
    expect(loadEdgeConfig(repoConfig('example-site.json')).dashboard).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: 8080,
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      signInLockout: { freeFailures: 5, firstLockoutSeconds: 1, maxLockoutSeconds: 900 },
      allowedHosts: [],
    });
  });

  it('should refuse a dashboard section with a malformed password hash or an unknown key', () => {
    const config = JSON.parse(JSON.stringify(loadEdgeConfig(repoConfig('example-site.json')))) as Record<
      string,
      unknown
    >;
    const error = errorOf(() =>
      parseEdgeConfig({ ...config, dashboard: { adminPasswordHash: 'secret', port: 70_000, password: 'x' } }, '/tmp'),
    );
    expect(error.details.map((d) => d.path).sort()).toEqual([
      'dashboard',
      'dashboard.adminPasswordHash',
      'dashboard.port',
    ]);
  });

  it('should list every bad field at once', () => {
    const error = errorOf(() =>
      parseEdgeConfig(
        {
          $schemaVersion: 2,
          site: { $schemaVersion: 1, id: 'bad id!', circuits: [], chargers: [] },
          policy: { $schemaVersion: 1, budget: { unit: 'kW', min: 0, max: -1 } },
          ocpp: { port: 70_000, basicAuth: 'yes' },
          control: { debounceMs: -1 },
          dataDir: '',
          surprise: true,
        },
        '/tmp',
      ),
    );
    expect(error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        '$schemaVersion',
        'site.id',
        'site.circuits',
        'policy.budget.max',
        'ocpp.port',
        'ocpp.basicAuth',
        'control.debounceMs',
        'dataDir',
        '(root)',
      ]),
    );
    expect(error.message).toContain('ocpp.port');
  });

  it('should check the parts against each other', () => {
    const config = JSON.parse(JSON.stringify(loadEdgeConfig(repoConfig('demo-site.json')))) as Record<
      string,
      unknown
    > & { meters: unknown[]; chargerPasswords: Record<string, unknown> };
    config.meters = [];
    delete config.chargerPasswords['CP-03'];
    config.chargerPasswords['CP-99'] = { password: 'a password that is long' };
    const error = errorOf(() => parseEdgeConfig(config, '/tmp'));
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'site.circuits[0].meterId', message: 'no meter configured with meterId "grid-meter"' },
        { path: 'chargerPasswords.CP-99', message: 'no charger "CP-99" in the site' },
        {
          path: 'site.chargers[2].id',
          message: 'basic auth is on but charger "CP-03" has no entry in chargerPasswords',
        },
      ]),
    );
  });

  it('should say which file is unreadable or not JSON', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-config-'));
    const file = path.join(dir, 'site.json');
    writeFileSync(file, '{ "$schemaVersion": 1, ');
    try {
      expect(errorOf(() => loadEdgeConfig(file)).message).toMatch(/site\.json: not valid JSON/);
      expect(errorOf(() => loadEdgeConfig(path.join(dir, 'missing.json'))).message).toMatch(
        /cannot read configuration file .*missing\.json: ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--config', 'site.json'], { configFile: 'site.json', help: false }],
    [[], { configFile: undefined, help: false }],
    [['--help'], { configFile: undefined, help: true }],
  ])('should parse %j', (argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expected);
  });

  it.each([[['--config']], [['--port', '1']], [['extra']]])('should refuse %j', (argv) => {
    expect(errorOf(() => parseCliArgs(argv)).code).toBe('config.invalid');
  });
});
