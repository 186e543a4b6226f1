/**
 * The etcd member settings shipped for a cluster (packaging/etcd/etcd-member.sh, docs/cluster.md): rendered for three
 * members on loopback ports, read as Debian's etcd.service reads /etc/default/etcd, they start three real etcd
 * processes that form one cluster, with pre-vote on and a client pinging every second not cut off.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdCluster } from './support/etcd-cluster';
import { freePorts } from './support/free-ports';

const SCRIPT = path.resolve(import.meta.dirname, '../../../packaging/etcd/etcd-member.sh');
const NAMES = ['gw-a', 'gw-b', 'witness'] as const;
/** etcd's default minimum between pings is 5 s and it cuts a client off at its third ping sooner: 8 s of 1 s pings would. */
const PINGING_MS = 8_000;
/** What systemd's EnvironmentFile and etcd both take as it stands: no quotes, spaces, '#', '\' or '$'. */
const PLAIN_SETTING = /^(ETCD_[A-Z_]+)=([A-Za-z0-9._:/@,=+-]+)$/;

const render = (args: readonly string[]) => execFileSync('bash', [SCRIPT, ...args], { encoding: 'utf8' });

/** The variables a settings file gives etcd; throws on a line systemd would read otherwise than meant. */
function environmentOf(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of file.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const setting = PLAIN_SETTING.exec(line);
    if (setting?.[1] === undefined || setting[2] === undefined) throw new Error(`not a plain setting: ${line}`);
    env[setting[1]] = setting[2];
  }
  return env;
}

describe('etcd member settings (packaging/etcd/etcd-member.sh)', () => {
  let cluster: EtcdCluster;
  let logDir: string;
  let files: string[];
  const logOf = (name: string) => readFileSync(path.join(logDir, `etcd-${name}.log`), 'utf8');

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-etcd-settings-'));
    const ports = await freePorts(NAMES.length * 2);
    const clientUrls = NAMES.map((_, i) => `http://127.0.0.1:${ports[i]}`);
    const initialCluster = NAMES.map((name, i) => `${name}=http://127.0.0.1:${ports[NAMES.length + i]}`).join(',');
    files = NAMES.map((name, i) =>
      render([
        ...['--name', name, '--client-url', clientUrls[i] ?? '', '--initial-cluster', initialCluster],
        ...['--token', `ampshare-${path.basename(logDir)}`, '--data-dir', path.join(logDir, name)],
      ]),
    );
    cluster = await EtcdCluster.startFromEnvironments(
      files.map((file, i) => ({ clientUrl: clientUrls[i] ?? '', env: environmentOf(file) })),
      logDir,
    );
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('should start three members that form one cluster and take every setting written', async () => {
    // Arrange
    const client = new Etcd3({ hosts: cluster.endpoints });
    try {
      // Act
      const members = await client.cluster.memberList({});

      // Assert
      expect(members.members.map((m) => m.name).sort()).toEqual([...NAMES].sort());
      for (const name of NAMES) {
        const log = logOf(name);
        expect(log, name).not.toContain('unrecognized environment variable');
        expect(log, name).toContain('recognized and used environment variable ETCD_PRE_VOTE=true');
        expect(log, name).toContain('recognized and used environment variable ETCD_GRPC_KEEPALIVE_MIN_TIME=1s');
      }
    } finally {
      client.close();
    }
  });

  it('should elect etcd leaders with pre-vote', () => {
    // Raft logs "became pre-candidate" only with pre-vote on; without it a member becomes a candidate at once.
    expect(NAMES.some((name) => logOf(name).includes('became pre-candidate'))).toBe(true);
  });

  it('should keep a client that pings every second connected, its watch still delivering', async () => {
    // Arrange: a watch keeps a stream open, so etcd holds the pings against the connection (no stream, no strikes).
    const client = new Etcd3({
      hosts: cluster.endpoints.slice(0, 1),
      grpcOptions: { 'grpc.keepalive_time_ms': 1_000, 'grpc.keepalive_timeout_ms': 1_000 },
    });
    try {
      const watcher = await client.watch().key('keepalive-probe').create();
      let disconnected = false;
      watcher.on('disconnected', () => (disconnected = true));

      // Act: the bound is the assertion's window, eight pings; a refusal ends the wait at once.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PINGING_MS);
        watcher.once('disconnected', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const delivered = new Promise<string>((resolve) => watcher.on('put', (kv) => resolve(kv.value.toString())));
      await client.put('keepalive-probe').value('still here');

      // Assert
      expect(disconnected).toBe(false);
      expect(await delivered).toBe('still here');
    } finally {
      client.close();
    }
  }, 20_000);

  it.each([
    [['--name', 'gw-c'], "--name 'gw-c' is not one of --initial-cluster's members"],
    [['--token', 'site one'], "--token 'site one' is missing or holds spaces"],
    [['--initial-cluster', 'gw-a=http://10.0.0.11:2380'], 'names 1 members; etcd needs 3'],
    [['--client-url', '10.0.0.11:2379'], "--client-url '10.0.0.11:2379' is not http://<address>:<port>"],
  ])('should refuse %j with a clear reason and write nothing', (change, reason) => {
    // Arrange
    const args: Record<string, string> = {
      '--name': 'gw-a',
      '--client-url': 'http://10.0.0.11:2379',
      '--initial-cluster': 'gw-a=http://10.0.0.11:2380,gw-b=http://10.0.0.12:2380,witness=http://10.0.0.13:2380',
      '--token': 'ampshare-site',
      [change[0] ?? '']: change[1] ?? '',
    };

    // Act
    const run = () =>
      execFileSync('bash', [SCRIPT, ...Object.entries(args).flat()], { encoding: 'utf8', stdio: 'pipe' });

    // Assert
    expect(run).toThrow(reason);
  });
});
