/**
 * Two gateways and a client on one Ethernet segment, in network namespaces made for the test: a bridge in a "switch"
 * namespace, one veth pair per host, addresses from a /24 of the documentation ranges (192.0.2.0/24, TEST-NET-1, unless
 * told; a lab linked to the test's own namespace must use one that namespace does not: `subnet`). Each gateway runs
 * keepalived (VRRP with unicast peers, nopreempt, a track script that checks the gateway's leader flag file and that
 * the process named in it lives) for one virtual address, and a small TCP server that answers with the gateway's name,
 * so the client can see which gateway a charger dialling the virtual address reaches. Optionally the bridge gets an
 * address of its own (a witness's etcd can listen there) and the test's own namespace a link to the segment (so the
 * test process reaches the gateways and the virtual address, as a charger would). Names carry a random suffix;
 * `destroy` kills every process group it started and deletes the namespaces and links. Needs root, `ip`, keepalived.
 */
import { type ChildProcess, execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEEPALIVED = '/usr/sbin/keepalived';
const IP = '/usr/sbin/ip';
const ECHO_PORT = 8765;
const GATEWAY_NAMES = ['gw1', 'gw2'] as const;

/** Why the lab cannot run here, or undefined when it can. */
export function vrrpLabUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (!existsSync(KEEPALIVED)) return `${KEEPALIVED} is missing: run scripts/ensure-system-deps.sh`;
  if (!existsSync(IP)) return `${IP} is missing (iproute2)`;
  return undefined;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
});

function ip(...args: string[]): string {
  return execFileSync(IP, args, { encoding: 'utf8', timeout: 5_000 });
}

/** Hosts on the segment a process can run in. */
export type LabHost = 'gw1' | 'gw2' | 'cl' | 'sw';

export interface LabOptions {
  /** The segment's first three octets (default `192.0.2`): gateways .11 and .12, the client .20, the virtual address .100. */
  readonly subnet?: string;
  /** An address for the bridge itself, in the switch namespace (e.g. a witness's etcd). */
  readonly bridgeAddress?: string;
  /** An address for a link from the test's own namespace to the segment. */
  readonly hostAddress?: string;
}

export class VrrpLab {
  private readonly children: ChildProcess[] = [];
  private readonly namespaces: string[] = [];
  private hostLink: string | undefined;
  /** The address chargers dial: keepalived holds it on one gateway. */
  readonly virtualAddress: string;
  private readonly gateways: readonly { readonly name: LabHost; readonly address: string }[];
  private readonly clientAddress: string;

  private constructor(
    private readonly prefix: string,
    private readonly dir: string,
    private readonly options: LabOptions,
  ) {
    const subnet = options.subnet ?? '192.0.2';
    this.virtualAddress = `${subnet}.100`;
    this.gateways = GATEWAY_NAMES.map((name, i) => ({ name, address: `${subnet}.${11 + i}` }));
    this.clientAddress = `${subnet}.20`;
  }

  /** Builds the segment; `dir` holds the keepalived configurations and flag files. */
  static create(dir: string, options: LabOptions = {}): VrrpLab {
    const lab = new VrrpLab(`a${randomBytes(3).toString('hex')}`, dir, options);
    try {
      lab.build();
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  /** The flag file whose presence says that gateway `index` leads. */
  flagFile(index: number): string {
    return path.join(this.dir, `${this.gateways[index]?.name}.leader`);
  }

  /** Gateway `index`'s address on the segment. */
  gatewayAddress(index: number): string {
    return this.gateways[index]?.address ?? '';
  }

  /** Starts keepalived and the echo server in every gateway namespace. */
  startGateways(): void {
    this.gateways.forEach((gateway, i) => {
      const peer = this.gateways[1 - i]?.address;
      const config = path.join(this.dir, `${gateway.name}.conf`);
      const trackScript = path.join(this.dir, `${gateway.name}.track.sh`);
      copyFileSync(SHIPPED_TRACK_SCRIPT, trackScript);
      chmodSync(trackScript, 0o700);
      writeFileSync(
        config,
        keepalivedConfig(
          gateway.name,
          gateway.address,
          peer ?? '',
          `${trackScript} ${this.flagFile(i)}`,
          this.virtualAddress,
        ),
      );
      const files = (kind: string) => path.join(this.dir, `${gateway.name}.${kind}.pid`);
      // keepalived's log (state changes, track script results) stays in the lab's folder for a failing test's reader.
      const log = openSync(path.join(this.dir, `${gateway.name}.keepalived.log`), 'a');
      this.spawnIn(
        gateway.name,
        KEEPALIVED,
        [
          '--dont-fork',
          '--log-console',
          '--vrrp',
          `--use-file=${config}`,
          `--pid=${files('main')}`,
          `--vrrp_pid=${files('vrrp')}`,
        ],
        ['ignore', log, log],
      );
      const server = `require('node:net').createServer((s) => s.end(${JSON.stringify(gateway.name)})).listen(${ECHO_PORT})`;
      this.run(gateway.name, process.execPath, ['-e', server]);
    });
  }

  /** The gateways whose interface holds the virtual address now. */
  holders(): string[] {
    return this.gateways
      .filter((gateway) =>
        ip('-n', this.ns(gateway.name), '-o', 'addr', 'show', 'dev', 'eth0').includes(`${this.virtualAddress}/`),
      )
      .map((gateway) => gateway.name);
  }

  /** Takes gateway `index`'s link to the segment down (a pulled cable), or brings it up again. */
  setLink(index: number, state: 'up' | 'down'): void {
    const gateway = this.gateways[index];
    if (gateway === undefined) throw new Error(`no gateway ${index}`);
    ip('-n', this.ns(gateway.name), 'link', 'set', 'eth0', state);
  }

  /** `host` can no longer send to `address` (a blackhole route); cut both ways, the two cannot talk at all. */
  cutOff(host: LabHost, address: string): void {
    ip('-n', this.ns(host), 'route', 'add', 'blackhole', `${address}/32`);
  }

  /**
   * Cuts `host` off from `address` as `cutOff` does, and for keepalived's adverts too: sent on their interface, they
   * bypass a blackhole route, so the address's neighbour entry is pinned to a MAC address nobody has.
   */
  cutOffAdverts(host: LabHost, address: string): void {
    this.cutOff(host, address);
    ip(
      '-n',
      this.ns(host),
      'neigh',
      'replace',
      address,
      'lladdr',
      '02:00:5e:00:de:ad',
      'dev',
      'eth0',
      'nud',
      'permanent',
    );
  }

  /** Undoes `cutOffAdverts`: `host` reaches `address` again, adverts included. */
  restoreAdverts(host: LabHost, address: string): void {
    ip('-n', this.ns(host), 'route', 'del', 'blackhole', `${address}/32`);
    ip('-n', this.ns(host), 'neigh', 'del', address, 'dev', 'eth0');
  }

  /** Which gateway the client reaches on the virtual address (what a charger dialling it would reach). */
  reachedFromClient(): string {
    const script = `const s = require('node:net').connect(${ECHO_PORT}, ${JSON.stringify(this.virtualAddress)});
      let d = ''; s.on('data', (c) => (d += c)); s.on('end', () => process.stdout.write(d));
      s.on('error', (e) => process.stdout.write('error: ' + e.code)); s.setTimeout(1000, () => s.destroy(new Error('timeout')));`;
    return execFileSync(IP, ['netns', 'exec', this.ns('cl'), process.execPath, '-e', script], {
      encoding: 'utf8',
      timeout: 5_000,
    });
  }

  /** The command prefix that runs a program in `host`'s namespace (`ip netns exec <ns>`). */
  execIn(host: LabHost): string[] {
    return [IP, 'netns', 'exec', this.ns(host)];
  }

  /** Runs `command` in `host`'s namespace, in a process group of its own (killed by `destroy` if still running). */
  spawnIn(host: LabHost, command: string, args: readonly string[], stdio: StdioOptions = 'ignore'): ChildProcess {
    const [program, ...prefix] = this.execIn(host);
    const child = spawn(program ?? IP, [...prefix, command, ...args], { detached: true, stdio });
    this.children.push(child);
    running.add(child);
    return child;
  }

  /** Kills every process group the lab started and deletes its namespaces. */
  destroy(): void {
    for (const child of this.children.splice(0)) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      running.delete(child);
    }
    if (this.hostLink !== undefined) {
      try {
        ip('link', 'del', this.hostLink);
      } catch {
        // Gone with its peer's namespace.
      }
      this.hostLink = undefined;
    }
    for (const namespace of this.namespaces.splice(0).reverse()) {
      try {
        ip('netns', 'del', namespace);
      } catch {
        // Never made, or already gone.
      }
    }
  }

  private ns(host: LabHost): string {
    return `${this.prefix}-${host}`;
  }

  private build(): void {
    const addNamespace = (host: LabHost) => {
      ip('netns', 'add', this.ns(host));
      this.namespaces.push(this.ns(host));
      ip('-n', this.ns(host), 'link', 'set', 'lo', 'up');
    };
    addNamespace('sw');
    ip('-n', this.ns('sw'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', this.ns('sw'), 'link', 'set', 'br0', 'up');
    const hosts: { readonly name: LabHost; readonly address: string }[] = [
      ...this.gateways,
      { name: 'cl', address: this.clientAddress },
    ];
    for (const host of hosts) {
      addNamespace(host.name);
      const inside = `${this.prefix}${host.name}`;
      const outside = `${this.prefix}${host.name}s`;
      ip('link', 'add', inside, 'type', 'veth', 'peer', 'name', outside);
      ip('link', 'set', inside, 'netns', this.ns(host.name));
      ip('link', 'set', outside, 'netns', this.ns('sw'));
      ip('-n', this.ns('sw'), 'link', 'set', outside, 'master', 'br0');
      ip('-n', this.ns('sw'), 'link', 'set', outside, 'up');
      ip('-n', this.ns(host.name), 'link', 'set', inside, 'name', 'eth0');
      ip('-n', this.ns(host.name), 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
      ip('-n', this.ns(host.name), 'link', 'set', 'eth0', 'up');
    }
    if (this.options.bridgeAddress !== undefined)
      ip('-n', this.ns('sw'), 'addr', 'add', `${this.options.bridgeAddress}/24`, 'dev', 'br0');
    if (this.options.hostAddress !== undefined) {
      const subnet = this.virtualAddress.slice(0, this.virtualAddress.lastIndexOf('.') + 1);
      if (ip('-o', 'addr').includes(` ${subnet}`) || ip('route').includes(subnet))
        throw new Error(`this namespace uses ${subnet}0/24 already: give the lab another subnet`);
      const inside = `${this.prefix}h`;
      const outside = `${this.prefix}hs`;
      ip('link', 'add', inside, 'type', 'veth', 'peer', 'name', outside);
      this.hostLink = inside;
      ip('link', 'set', outside, 'netns', this.ns('sw'));
      ip('-n', this.ns('sw'), 'link', 'set', outside, 'master', 'br0');
      ip('-n', this.ns('sw'), 'link', 'set', outside, 'up');
      ip('addr', 'add', `${this.options.hostAddress}/24`, 'dev', inside);
      ip('link', 'set', inside, 'up');
    }
  }

  private run(namespace: LabHost, command: string, args: string[]): void {
    this.spawnIn(namespace, command, args);
  }
}

/**
 * The track script keepalived runs: the shipped one (the flag file names the agent's process, `<term> <pid>`, and that
 * process must be alive), copied beside the lab's configuration (keepalived runs a script only from folders that only
 * root may write) with the lab's flag file as its argument.
 */
const SHIPPED_TRACK_SCRIPT = path.resolve(import.meta.dirname, '../../../../packaging/keepalived/agent-leads.sh');

/**
 * One gateway's keepalived: BACKUP with nopreempt, so only its track script and VRRP decide who holds the address.
 * VRRP version 3 for an advert every 0.1 s, as shipped (packaging/keepalived/keepalived.conf): a standby whose agent
 * has just become master leaves FAULT as BACKUP and takes the address only after three adverts missed (0.36 s with the
 * skew; 1.8 s with 0.5 s adverts, 3.6 s with version 2's 1 s: the failover bench found both).
 */
function keepalivedConfig(
  name: string,
  address: string,
  peer: string,
  trackCommand: string,
  virtualAddress: string,
): string {
  return `global_defs {
  router_id ${name}
  enable_script_security
  script_user root
  vrrp_version 3
}
vrrp_script agent_leads {
  script "${trackCommand}"
  interval 1
  fall 1
  rise 1
}
vrrp_instance site {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  nopreempt
  advert_int 0.1
  unicast_src_ip ${address}
  unicast_peer {
    ${peer}
  }
  virtual_ipaddress {
    ${virtualAddress}/24
  }
  track_script {
    agent_leads
  }
}
`;
}
