/**
 * A real etcd cluster for tests: one or three members on 127.0.0.1, on free ports (never etcd's default 2379/2380, which
 * a system etcd may hold), or one member per host address (`startOn`, e.g. in network namespaces), with data in a
 * temporary folder. Each member runs in its own process group, so `stop` and
 * `kill` reach everything it started; a process exit kills what is left, should a test runner die before `stop`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import { freePorts } from './free-ports';

const ETCD = '/usr/bin/etcd';
const HEALTHY_WITHIN_MS = 20_000;
const STDERR_TAIL_CHARS = 4_000;
/** The ports of a member on an address of its own (startOn); never etcd's defaults 2379/2380. */
const HOST_CLIENT_PORT = 23_790;
const HOST_PEER_PORT = 23_800;

interface Member {
  readonly name: string;
  /** Where its stderr is kept in full, if anywhere. */
  readonly logFile: string | undefined;
  readonly clientUrl: string;
  process: ChildProcess | undefined;
  stderrTail: string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export class EtcdCluster {
  private constructor(
    private readonly members: Member[],
    private readonly dir: string,
  ) {}

  /**
   * Starts `size` members on 127.0.0.1 and resolves once the cluster takes writes; stops what it started if that fails.
   * `names` are the members' names (`m1`, `m2`... without): a member named after a node is that node's own, one named
   * after none is the witness (the Cluster page's witness row).
   */
  static async start(size: 1 | 3, names?: readonly string[]): Promise<EtcdCluster> {
    const ports = await freePorts(size * 2);
    return EtcdCluster.launchAll(
      Array.from({ length: size }, (_, i) => ({
        clientUrl: `http://127.0.0.1:${ports[i]}`,
        peerUrl: `http://127.0.0.1:${ports[size + i]}`,
        command: [],
      })),
      undefined,
      names,
    );
  }

  /**
   * Starts one member per host (e.g. in network namespaces: `command` is what runs etcd there, such as
   * `ip netns exec <ns>`), each on its own address with fixed ports (a fresh namespace has them free; never etcd's
   * defaults); resolves once the cluster takes writes, which the test's own namespace must be able to reach. With
   * `logDir`, each member's stderr is kept there in full (`etcd-m1.log`...), beside the lab's other logs.
   */
  static async startOn(
    hosts: readonly { readonly address: string; readonly command: readonly string[] }[],
    logDir?: string,
  ) {
    return EtcdCluster.launchAll(
      hosts.map((host) => ({
        clientUrl: `http://${host.address}:${HOST_CLIENT_PORT}`,
        peerUrl: `http://${host.address}:${HOST_PEER_PORT}`,
        command: host.command,
      })),
      logDir,
    );
  }

  /**
   * Starts one member per environment, each read from a member's settings file as Debian's etcd.service reads
   * /etc/default/etcd (etcd with no arguments, its settings in `ETCD_*` variables); keeps each member's stderr in full
   * in `logDir` (`etcd-<name>.log`); resolves once the cluster takes writes.
   */
  static async startFromEnvironments(
    members: readonly { readonly clientUrl: string; readonly env: Readonly<Record<string, string>> }[],
    logDir: string,
  ): Promise<EtcdCluster> {
    if (!existsSync(ETCD))
      throw new Error(`${ETCD} is missing: run scripts/ensure-system-deps.sh (Debian etcd-server)`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-etcd-'));
    const cluster = new EtcdCluster(
      members.map((spec) => {
        const name = spec.env.ETCD_NAME ?? '';
        return {
          name,
          logFile: path.join(logDir, `etcd-${name}.log`),
          clientUrl: spec.clientUrl,
          process: undefined,
          stderrTail: '',
        };
      }),
      dir,
    );
    cluster.members.forEach((member, i) => cluster.launch(member, [], [], members[i]?.env));
    return cluster.untilHealthy();
  }

  private static async launchAll(
    specs: readonly { readonly clientUrl: string; readonly peerUrl: string; readonly command: readonly string[] }[],
    logDir?: string,
    given?: readonly string[],
  ): Promise<EtcdCluster> {
    if (!existsSync(ETCD))
      throw new Error(`${ETCD} is missing: run scripts/ensure-system-deps.sh (Debian etcd-server)`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-etcd-'));
    const names = specs.map((_, i) => given?.[i] ?? `m${i + 1}`);
    const initialCluster = names.map((name, i) => `${name}=${specs[i]?.peerUrl}`).join(',');
    const members = specs.map((spec, i) => ({
      name: names[i] ?? '',
      logFile: logDir === undefined ? undefined : path.join(logDir, `etcd-${names[i]}.log`),
      clientUrl: spec.clientUrl,
      process: undefined,
      stderrTail: '',
    }));
    const cluster = new EtcdCluster(members, dir);
    const token = path.basename(dir);
    members.forEach((member, i) => {
      const spec = specs[i];
      if (spec === undefined) return;
      const args = [
        `--name=${member.name}`,
        `--data-dir=${path.join(dir, member.name)}`,
        `--listen-client-urls=${member.clientUrl}`,
        `--advertise-client-urls=${member.clientUrl}`,
        `--listen-peer-urls=${spec.peerUrl}`,
        `--initial-advertise-peer-urls=${spec.peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-token=${token}`,
        '--initial-cluster-state=new',
        // The agents ping their connections every second (edge/cluster/etcd-client.ts); etcd's default refuses that.
        '--grpc-keepalive-min-time=1s',
        // A member cut off and back must not depose the etcd leader on its return (3.4 has pre-vote off): the election
        // stalled the cluster past the master's fence deadline and the master changed (the link-down test found it).
        '--pre-vote=true',
      ];
      cluster.launch(member, spec.command, args);
    });
    return cluster.untilHealthy();
  }

  /** Resolves with this cluster once it takes writes; stops what it started if it does not. */
  private async untilHealthy(): Promise<EtcdCluster> {
    try {
      await this.waitHealthy();
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this;
  }

  /** Every member's client URL, in member order. */
  get endpoints(): string[] {
    return this.members.map((member) => member.clientUrl);
  }

  /** Kills member `index` with SIGKILL and waits until it has exited. */
  async kill(index: number): Promise<void> {
    const member = this.members[index];
    const child = member?.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killGroup(child, 'SIGKILL');
    await exited;
  }

  /** Sends `signal` to member `index` (SIGSTOP freezes it: its sockets accept connections but nothing answers). */
  signal(index: number, signal: NodeJS.Signals): void {
    const child = this.members[index]?.process;
    if (child !== undefined) killGroup(child, signal);
  }

  /** Kills every member and removes the data folder. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.kill(i)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What the members said on stderr lately, for a failing test's message. */
  diagnostics(): string {
    return this.members.map((m) => `--- ${m.name}\n${m.stderrTail}`).join('\n');
  }

  private launch(
    member: Member,
    command: readonly string[],
    args: string[],
    env: Readonly<Record<string, string>> = {},
  ): void {
    const [program, ...before] = [...command, ETCD];
    const child = spawn(program ?? ETCD, [...before, ...args], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    member.process = child;
    running.add(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      member.stderrTail = (member.stderrTail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      if (member.logFile !== undefined) appendFileSync(member.logFile, chunk);
    });
    child.once('exit', () => running.delete(child));
  }

  /** A write needs a quorum: once one goes through, the cluster has a leader and its members talk. */
  private async waitHealthy(): Promise<void> {
    const client = new Etcd3({ hosts: this.endpoints, dialTimeout: 1_000 });
    const giveUpAt = Date.now() + HEALTHY_WITHIN_MS;
    try {
      for (;;) {
        try {
          await client
            .put('health-probe')
            .value('ok')
            .options({ deadline: new Date(Date.now() + 1_000) });
          return;
        } catch (error) {
          if (Date.now() > giveUpAt) {
            throw new Error(`etcd not healthy within ${HEALTHY_WITHIN_MS} ms: ${String(error)}\n${this.diagnostics()}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      client.close();
    }
  }
}
