/**
 * The release a gateway installs (issue 16), as CI can try it without touching the machine: the tarball builds,
 * install.sh puts it into a scratch root (no user, no systemctl) with a cluster node's keepalived files, systemd
 * accepts the unit, the installed agent (plain node, nothing but the release's own files) answers a charger's
 * BootNotification over a real WebSocket and serves its dashboard, and an upgrade keeps the previous release and a backup of the database to roll back to.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import {
  agentScriptFlags,
  asVersion,
  BootAnswerSchema,
  startInstalled,
  stopped,
  scratchInstall,
  writeSite,
} from './support/installed-release';

const hasSystemdAnalyze = (() => {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The node flags of the unit's ExecStart (what the gateway runs). */
const unitNodeFlags = (unit: string) => /^ExecStart=\/usr\/bin\/node ((?:--\S+ )+)/m.exec(unit)?.[1]?.trim();

describe('release tarball and install.sh', () => {
  const unpacked = scratchInstall('ampshare-release-');
  const { install } = unpacked;

  it('should install into a scratch root: code, unit, configuration example, data folder', () => {
    // Act
    const said = install(path.join(unpacked.work, `ampshare-${unpacked.release.version}`));

    // Assert
    expect(said).toContain(`installed ${unpacked.release.version}; write`);
    expect(readlinkSync(path.join(unpacked.root, 'opt/ampshare/current'))).toBe(`releases/${unpacked.release.version}`);
    expect(existsSync(path.join(unpacked.root, 'etc/systemd/system/ampshare.service'))).toBe(true);
    expect(existsSync(path.join(unpacked.root, 'etc/ampshare/site.example.json'))).toBe(true);
    expect(existsSync(path.join(unpacked.root, 'var/lib/ampshare/backups'))).toBe(true);
    // Only what the bundle leaves out is in node_modules: no tsx, no AWS SDK, no MQTT client, no dev tools.
    const modules = readdirSync(path.join(unpacked.root, 'opt/ampshare/current/node_modules'));
    expect(modules).toContain('better-sqlite3');
    expect(modules.filter((m) => /^(tsx|esbuild|@aws-sdk|mqtt|vitest|typescript)$/.test(m))).toEqual([]);
  });

  it("should install a cluster node's keepalived template and a track script that wants a live agent's fresh flag", () => {
    // Arrange
    const keepalived = path.join(unpacked.root, 'opt/ampshare/current/keepalived');
    const flag = path.join(unpacked.work, 'leader');
    const leads = () => {
      try {
        execFileSync(path.join(keepalived, 'agent-leads.sh'), [flag, '3'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };

    // Act
    writeFileSync(flag, `7 ${process.pid}\n`);
    const fresh = leads();
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(flag, longAgo, longAgo);
    const stale = leads();

    // Assert
    expect(readFileSync(path.join(keepalived, 'keepalived.conf'), 'utf8')).toContain(
      'script "/etc/keepalived/agent-leads.sh /run/ampshare/leader 3"',
    );
    expect([fresh, stale]).toEqual([true, false]);
  });

  it("should install the script that writes a cluster member's etcd settings, runnable as it is", () => {
    // Act
    const settings = execFileSync(
      path.join(unpacked.root, 'opt/ampshare/current/etcd/etcd-member.sh'),
      [
        ...['--name', 'witness', '--client-url', 'http://10.0.0.13:2379', '--token', 'ampshare-release-test'],
        ...['--initial-cluster', 'gw-a=http://10.0.0.11:2380,gw-b=http://10.0.0.12:2380,witness=http://10.0.0.13:2380'],
      ],
      { encoding: 'utf8' },
    );

    // Assert (what etcd makes of the settings: test/integration/cluster/etcd-member-settings.test.ts)
    expect(settings).toContain('ETCD_INITIAL_ADVERTISE_PEER_URLS=http://10.0.0.13:2380\n');
    expect(settings).toContain('ETCD_PRE_VOTE=true\n');
  });

  it.skipIf(!hasSystemdAnalyze)(
    "should have a unit systemd-analyze verify accepts, with the agent script's V8 flags",
    () => {
      // Arrange
      const unitFile = path.join(unpacked.root, 'etc/systemd/system/ampshare.service');

      // Act
      const verify = () => execFileSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8', stdio: 'pipe' });

      // Assert
      expect(verify).not.toThrow();
      const unit = readFileSync(unitFile, 'utf8');
      expect(unitNodeFlags(unit)).toBe(agentScriptFlags());
      for (const line of [
        'User=ampshare',
        'ProtectSystem=strict',
        'ReadWritePaths=/var/lib/ampshare',
        'Restart=on-failure',
      ])
        expect(unit).toContain(line);
    },
  );

  it('should run the installed agent with node alone and answer a BootNotification over a WebSocket', async () => {
    // Arrange
    const config = writeSite(unpacked.root);
    const flags = agentScriptFlags() ?? '';
    const { child, urls } = await startInstalled(unpacked.root, flags, config);
    const charger = rawChargePoint({ endpoint: urls.ocpp, identity: 'CP-1' });
    try {
      // Act
      await charger.connect();
      const answer = BootAnswerSchema.parse(
        await charger.call('BootNotification', { chargePointVendor: 'Test', chargePointModel: 'Release' }),
      );
      const page = await fetch(urls.dashboard);

      // Assert
      expect(answer.status).toBe('Accepted');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('app.js');
    } finally {
      await charger.close({ force: true });
      await stopped(child);
    }
    expect(existsSync(path.join(unpacked.root, 'var/lib/ampshare/ampshare.sqlite'))).toBe(true);
  });

  it('should back the database up on an upgrade, keep the previous release and roll back to it', () => {
    // Arrange: the same code as a newer version.
    const next = `${unpacked.release.version}-next`;
    const nextDir = path.join(unpacked.work, `ampshare-${next}`);
    asVersion(path.join(unpacked.work, `ampshare-${unpacked.release.version}`), nextDir, next);

    // Act
    const upgraded = install(nextDir);
    const afterUpgrade = readlinkSync(path.join(unpacked.root, 'opt/ampshare/current'));
    const backup = path.join(unpacked.root, `var/lib/ampshare/backups/before-${next}`);
    const rolledBack = install(nextDir, '--rollback');

    // Assert
    expect(upgraded).toContain(`upgrading from ${unpacked.release.version} to ${next}`);
    expect(afterUpgrade).toBe(`releases/${next}`);
    expect(existsSync(path.join(backup, 'ampshare.sqlite'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(backup, 'manifest.json'), 'utf8'))).toMatchObject({
      versions: { 'ampshare.sqlite': expect.any(Number) as unknown },
    });
    expect(rolledBack).toContain(`rolled back from ${next} to ${unpacked.release.version}`);
    expect(readlinkSync(path.join(unpacked.root, 'opt/ampshare/current'))).toBe(`releases/${unpacked.release.version}`);
    expect(readlinkSync(path.join(unpacked.root, 'opt/ampshare/previous'))).toBe(`releases/${next}`);
    expect(existsSync(path.join(unpacked.root, 'var/lib/ampshare/ampshare.sqlite'))).toBe(true);
  });

  /** Node 22's NODE_MODULE_VERSION and a version of it, or Node 20's on Node 22 (three digits, as the real addon's). */
  const otherNode = (): [abi: string, nodeVersion: string] =>
    process.versions.modules === '127' ? ['115', '20.19.0'] : ['127', '22.23.5'];

  /**
   * Makes the release folder `releaseDir` look to install.sh as a build on another Node would: its better-sqlite3
   * addon's register symbol names that Node's NODE_MODULE_VERSION `abi` (a real build on Node 22 registers
   * `node_register_module_v127`), and the manifest names that Node.
   */
  function markBuiltFor(releaseDir: string, [abi, nodeVersion]: [string, string]): void {
    const addon = path.join(releaseDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const binary = readFileSync(addon, 'latin1').replace(/node_register_module_v\d+/g, `node_register_module_v${abi}`);
    writeFileSync(addon, binary, 'latin1');
    const manifest = path.join(releaseDir, 'package.json');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace(/"builtWithNode": "[^"]*"/, `"builtWithNode": "${nodeVersion}"`),
    );
  }

  /** What install.sh says on stderr when it refuses, or 'installed'. */
  function refusal(args: string[]): string {
    try {
      execFileSync('bash', args, { encoding: 'utf8', stdio: 'pipe' });
      return 'installed';
    } catch (error) {
      return String((error as { stderr?: unknown }).stderr);
    }
  }

  it("should refuse, before changing anything, a release whose better-sqlite3 was built for another Node major than the gateway's", () => {
    // Arrange
    const [abi, nodeVersion] = otherNode();
    const dir = path.join(unpacked.work, `ampshare-${unpacked.release.version}-node-${abi}`);
    cpSync(path.join(unpacked.work, `ampshare-${unpacked.release.version}`), dir, { recursive: true });
    markBuiltFor(path.join(dir, 'release'), [abi, nodeVersion]);
    const scratch = path.join(unpacked.work, 'root-other-node');

    // Act
    const said = refusal([path.join(dir, 'install.sh'), '--root', scratch, '--node', process.execPath]);

    // Assert
    const major = (version: string) => version.split('.')[0];
    expect(said).toContain(
      `this release's better-sqlite3 was built for Node ${major(nodeVersion)} (${nodeVersion}, NODE_MODULE_VERSION ${abi})`,
    );
    expect(said).toContain(
      `but this gateway runs Node ${major(process.versions.node)} (${process.execPath} is ${process.versions.node}, NODE_MODULE_VERSION ${process.versions.modules})`,
    );
    expect(said).toContain(`Build the release with Node ${major(process.versions.node)}`);
    expect(said).toContain(`or install Node ${major(nodeVersion)} on the gateway`);
    expect(existsSync(path.join(scratch, 'opt/ampshare'))).toBe(false);
  });

  // The Node 22 lane runs a release whose addon is Node 20's, loaded through its own hook (scripts/node22-lane.sh).
  it.skipIf(process.env.AMPSHARE_NODE22_SQLITE_ADDON !== undefined)(
    "should install a release whose better-sqlite3 was built for the gateway's Node",
    () => {
      // Arrange
      const scratch = path.join(unpacked.work, 'root-same-node');

      // Act
      const said = execFileSync(
        'bash',
        [
          path.join(unpacked.work, `ampshare-${unpacked.release.version}`, 'install.sh'),
          '--root',
          scratch,
          '--node',
          process.execPath,
        ],
        { encoding: 'utf8' },
      );

      // Assert
      expect(said).toContain(`installed ${unpacked.release.version}`);
    },
  );

  it.skipIf(process.env.AMPSHARE_NODE22_SQLITE_ADDON !== undefined)(
    'should refuse to roll back to a release built for another Node major, keeping the current one',
    () => {
      // Arrange: installed and upgraded on this Node; then the previous release stands for one built on another
      const scratch = path.join(unpacked.work, 'root-rollback');
      const next = `${unpacked.release.version}-next`;
      const nextDir = path.join(unpacked.work, `ampshare-${next}-rollback`);
      asVersion(path.join(unpacked.work, `ampshare-${unpacked.release.version}`), nextDir, next);
      const node = ['--root', scratch, '--node', process.execPath];
      execFileSync('bash', [path.join(unpacked.work, `ampshare-${unpacked.release.version}`, 'install.sh'), ...node]);
      execFileSync('bash', [path.join(nextDir, 'install.sh'), ...node]);
      markBuiltFor(path.join(scratch, 'opt/ampshare/releases', unpacked.release.version), otherNode());

      // Act
      const said = refusal([path.join(nextDir, 'install.sh'), ...node, '--rollback']);

      // Assert
      expect(said).toContain(`this release's better-sqlite3 was built for Node ${otherNode()[1].split('.')[0]}`);
      expect(readlinkSync(path.join(scratch, 'opt/ampshare/current'))).toBe(`releases/${next}`);
    },
  );

  it('should bundle the cloud link apart, loaded only when a site has a sync section', () => {
    // Arrange
    const agentDir = path.join(unpacked.root, 'opt/ampshare/current/dist/edge/agent');
    const files = readdirSync(agentDir).filter((f) => f.endsWith('.mjs'));

    // Act
    const withMqtt = files.filter((f) => readFileSync(path.join(agentDir, f), 'utf8').includes('mqttjs'));

    // Assert: the MQTT client is in the one chunk main.ts imports when the site has a `sync` section.
    expect(withMqtt).toEqual([expect.stringMatching(/^edge-sync-\w+\.mjs$/)]);
  });
});
