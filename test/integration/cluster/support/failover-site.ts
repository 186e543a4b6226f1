/**
 * The failover lab of the end-to-end cluster tests, as a site would run: two agents (edge/start.ts, each a process in
 * its own group) in two gateway network namespaces with keepalived holding the virtual address, a three-member etcd
 * (one member on each gateway, the witness on the segment's bridge), and the simulator's chargers dialling the virtual
 * address from the test's namespace (each with a reconnect back-off and a WebSocket ping, as a real charger has), where
 * the site's simulated grid meter listens too (lab-grid-meter.ts: building load plus the cars' draw), read by both
 * agents across the bridge, whose policy controls from it (dynamic mode). Each charger starts a transaction on the
 * master (gw-a, first in the static order), whose allocation the cars draw before a test goes on. Afterwards what the chargers sent and
 * were answered can be compared with what an agent stored, and who sent them charging profiles in which term.
 * Everything started is registered with `cleanups`, so a failing test leaves nothing behind.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Etcd3 } from 'etcd3';
import type { ReconnectBackOff } from '../../../../sim/charger/charger-reconnect';
import { DEFAULT_CAR } from '../../../../sim/charger/virtual-car';
import { edgeConfig, passwordOf } from '../../edge/support/edge-fixture';
import { AGENT_OCPP_PORT, type AgentLogRecord, AgentNodeProcess, type AgentNodeSettings } from './agent-node-process';
import { EtcdCluster } from './etcd-cluster';
import { keepOrRemoveLab } from './kept-lab';
import { type LabGridMeterAddress, startLabGridMeter } from './lab-grid-meter';
import { chargingProfilesSent, type ProfileSent } from './profile-senders';
import { ReconnectingCharger } from './reconnecting-charger';
import { type PhaseAmps, SiteDraw } from './site-draw';
import { VrrpLab } from './vrrp-lab';

export const CHARGERS = 3;
/** TEST-NET-2: the lab is linked to this test's namespace, so it must not share that namespace's own subnet. */
const SUBNET = '198.51.100';
/** The witness's etcd member listens on the bridge. */
export const WITNESS_ADDRESS = `${SUBNET}.13`;
const HOST_ADDRESS = `${SUBNET}.30`;
/** An agent starts (tsx compiles it) and is elected well within this, on a loaded machine too. */
export const START_MS = 30_000;
/**
 * What each charger adds to an agent's start: its configured password checked or hashed with scrypt, one after the
 * other (tens of ms each, more on a loaded machine; 500 chargers took the failover bench's agent past START_MS).
 */
const START_MS_PER_CHARGER = 200;

/** How long an agent of a site with `chargers` chargers may take to start. */
export function startMs(chargers: number): number {
  return START_MS + chargers * START_MS_PER_CHARGER;
}
/**
 * The lease (6 s, the production default) runs out, keepalived (1 s interval, three 0.1 s adverts) moves the address,
 * the chargers' back-off (at most 2 s) retries; twice that sum and more for a loaded machine.
 */
export const TAKEOVER_MS = 30_000;
/** The leases of a two-gateway site's agents (the least the agent takes): its hold before exceeding the fail-safe. */
export const TWO_GATEWAY_LEASE_SECONDS = 10;
/**
 * How often a two-gateway site's agents ping their chargers: a charger that moved in counts towards a majority after
 * two intervals and the recount's gap (charger-majority.ts), 6 s here, instead of a minute with the default 30 s.
 */
export const TWO_GATEWAY_PING_SECONDS = 2;
/**
 * A charger pings its central system every 2 s, so a socket to a gateway that vanished is found dead, gives up on a
 * connection that does not open within 3 s (a SYN to an address nobody answers would otherwise wait minutes), and
 * sends an unanswered transaction message again, up to 3 times, 1 s then 2 s after a failure, as a real one does.
 */
const CHARGER_CONNECTION = {
  pingIntervalSeconds: 2,
  connectTimeoutSeconds: 3,
  transactionMessageAttempts: 3,
  transactionMessageRetryIntervalSeconds: 1,
};

/** The site's main fuse, per phase, as the agents are configured (edge-fixture.ts). */
export const FUSE_AMPS = Math.min(
  ...edgeConfig({ chargers: CHARGERS }, '')
    .site.circuits.filter((c) => c.parent === null)
    .flatMap((c) => c.fuseAmps),
);

/**
 * The site's other consumers, per phase, constant: with the fuse less the dynamic policy's margin, they leave the
 * chargers 31 A of the fuse's 63, less than the 48 A budget they would share without the meter (the fuse check then
 * finds 78 A), so the masters must control from the meter.
 */
export const BUILDING_AMPS: PhaseAmps = [30, 27, 24];
/** The policy both agents run: the budget of the edge fixture, dynamic control from the grid meter. */
const DYNAMIC_POLICY = { control: { mode: 'dynamic', safetyMarginAmps: 2 } } as const;

export type Cleanups = (() => Promise<void> | void)[];

/** How a lab is made: with or without a witness, how many chargers, and their reconnect back-off. */
export interface FailoverSiteOptions {
  /** False: a two-gateway site, no etcd; gw-a's agent starts first so its gateway takes the address. */
  readonly witness?: boolean;
  /** How many chargers the site lists and the lab runs (CHARGERS unless told; the failover bench runs a fleet). */
  readonly chargers?: number;
  /** The chargers' reconnect back-off (the simulator's default, 250 ms doubling to 2 s, unless told). */
  readonly backOff?: ReconnectBackOff;
}

/** Where a two-gateway site's agents answer each other (`cluster.peer.listenPort`), and the secret they share. */
const PEER_PORT = 7311;
const PEER_SECRET = 'failover-lab-peer-secret-of-at-least-32-characters';
/** A charger's first two reconnect attempts with the real back-off (15 s, 30 s, and up to 5 s each) and room to spare. */
const SET_UP_RECONNECT_MS = 90_000;
/** How many chargers set up their transaction at once when the lab starts (a fleet would take minutes one by one). */
const STARTING_TOGETHER = 20;

/** A transaction in the store's terms. */
export interface StoredTransaction {
  id: number;
  charger_id: string;
  meter_start_wh: number;
  meter_stop_wh: number | null;
  energy_wh: number;
}

type GatewayIndex = 0 | 1;
const GATEWAYS = ['gw1', 'gw2'] as const;
const NODE_IDS = ['gw-a', 'gw-b'] as const;

export class FailoverSite {
  /** The agent processes, in start order (a restarted node appears again). */
  readonly processes: { readonly name: string; readonly node: AgentNodeProcess }[] = [];
  readonly chargers: ReconnectingCharger[];
  /** The gateways seen holding the virtual address, in order, from gw1 at the start (chargersOn looks). */
  readonly holdersSeen: string[] = ['gw1'];
  /** What the site draws at its grid connection, from the first connection to the end (the meter, the fuse check). */
  readonly draw: SiteDraw;
  /** Where the agents read the site's grid meter (set once it listens, before any agent starts). */
  private gridMeter: LabGridMeterAddress | undefined;

  private constructor(
    readonly lab: VrrpLab,
    /** None on a two-gateway site without a witness. */
    private readonly etcdCluster: EtcdCluster | undefined,
    private readonly dir: string,
    private readonly cleanups: Cleanups,
    chargers: number,
    backOff: ReconnectBackOff | undefined,
  ) {
    const url = `ws://${lab.virtualAddress}:${AGENT_OCPP_PORT}/ocpp`;
    this.chargers = Array.from({ length: chargers }, (_, i) => {
      const id = `CP-${i + 1}`;
      return new ReconnectingCharger(id, passwordOf(id), url, CHARGER_CONNECTION, backOff);
    });
    cleanups.push(() => Promise.all(this.chargers.map((cp) => cp.close())).then(() => undefined));
    this.draw = new SiteDraw(this.chargers, BUILDING_AMPS);
    cleanups.push(() => this.draw.stop());
  }

  /** The lab, etcd across it, gw-a (master) then gw-b, and the chargers, each with a transaction started on gw-a. */
  static async start(
    cleanups: Cleanups,
    { witness = true, chargers = CHARGERS, backOff }: FailoverSiteOptions = {},
  ): Promise<FailoverSite> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-failover-'));
    // Removed last, after everything that writes to it stopped, or kept with the chargers' frames (kept-lab.ts).
    const made: { site?: FailoverSite } = {};
    cleanups.push(() =>
      keepOrRemoveLab(
        dir,
        made.site?.chargers.map((cp) => ({ id: cp.charger.spec.id, wire: cp.wire, attempts: cp.attempts })) ?? [],
      ),
    );
    const lab = VrrpLab.create(dir, { subnet: SUBNET, bridgeAddress: WITNESS_ADDRESS, hostAddress: HOST_ADDRESS });
    cleanups.push(() => lab.destroy());
    lab.startGateways();
    const etcd = witness
      ? await EtcdCluster.startOn(
          [
            { address: lab.gatewayAddress(0), command: lab.execIn('gw1') },
            { address: lab.gatewayAddress(1), command: lab.execIn('gw2') },
            { address: WITNESS_ADDRESS, command: lab.execIn('sw') },
          ],
          dir,
        )
      : undefined;
    if (etcd) cleanups.push(() => etcd.stop());
    const site = new FailoverSite(lab, etcd, dir, cleanups, chargers, backOff);
    made.site = site;
    const meter = await startLabGridMeter(HOST_ADDRESS, site.draw);
    cleanups.push(() => meter.server.stop());
    site.gridMeter = meter.address;
    const startWithin = startMs(chargers);
    await site.startNode(0).logged(witness ? 'serving as master' : 'edge agent running', startWithin);
    if (!witness) await until('gw1 holds the virtual address', () => lab.holders().join() === 'gw1', START_MS);
    await site.startNode(1).logged('edge agent running', startWithin);
    await until('gw1 holds the virtual address', () => lab.holders().join() === 'gw1', START_MS);
    for (let i = 0; i < site.chargers.length; i += STARTING_TOGETHER)
      await Promise.all(
        site.chargers.slice(i, i + STARTING_TOGETHER).map(async (cp) => {
          // A charger that did not get through (a fleet on a loaded machine: its 3 s connect timeout) dials again by
          // its own back-off, as it would on a site.
          await cp.connect().catch(() => cp.bootedTimes(1, SET_UP_RECONNECT_MS));
          await cp.charger.plugIn(DEFAULT_CAR);
          await cp.charger.authorizeAndStart('TAG-1');
          await cp.charger.sendMeterValues();
        }),
      );
    // The master's first allocation reached the cars before any fault, and the fuse check sampled them drawing (it then
    // judges the controllers, not the building alone): on a loaded machine the allocation could come after a test's
    // fault and stops, and a draw seen here between two samples could end before the next (CI found no car drawing).
    await until(
      'the fuse check sampled the cars drawing',
      () => site.draw.carsSampledAmps > 0,
      TAKEOVER_MS,
      () => site.state(),
    );
    return site;
  }

  /** Starts the agent of gateway `index` (again, after a restart: same configuration, same data folder). */
  startNode(index: GatewayIndex): AgentNodeProcess {
    const etcd = this.etcdCluster;
    const gridMeter = this.gridMeter;
    if (gridMeter === undefined) throw new Error('the grid meter listens before any agent starts');
    const node = new AgentNodeProcess(this.lab, this.dir, {
      host: GATEWAYS[index],
      siteId: 'failover-site',
      chargers: this.chargers.length,
      gridMeter,
      policy: DYNAMIC_POLICY,
      // Without a witness a node exceeds the fail-safe a lease after it gains its majority: the shortest lease the agent takes.
      ...(etcd === undefined && {
        leaseSeconds: TWO_GATEWAY_LEASE_SECONDS,
        pingIntervalSeconds: TWO_GATEWAY_PING_SECONDS,
      }),
      cluster: {
        nodeId: NODE_IDS[index],
        ...(etcd === undefined ? { witness: false, peer: this.peerLink(index) } : { etcdEndpoints: etcd.endpoints }),
        // The production lease (cluster-config.ts's defaults), not a shorter one: a master must outlast an
        // etcd leader election (1 to 2 s, and more on a loaded machine) between two renewals, and with 3 s and 1 s
        // it had 1 s (TTL less margin less a renewal period), so killing the witness while it led etcd fenced the
        // master (agent-network-faults.test.ts, the lab's logs).
        staticOrder: [...NODE_IDS],
        election: 'static',
        leaderFlagFile: this.lab.flagFile(index),
      },
    });
    this.cleanups.push(() => node.signal('SIGKILL'));
    const starts = this.processes.filter((p) => p.name.startsWith(NODE_IDS[index])).length;
    this.processes.push({ name: `${NODE_IDS[index]}#${starts + 1}`, node });
    return node;
  }

  /**
   * Without a witness, the two gateways' link that merges their records (`cluster.peer`): each asks the other's address
   * on the segment every second, with a secret both read from the lab's folder.
   */
  private peerLink(index: GatewayIndex): NonNullable<AgentNodeSettings['cluster']['peer']> {
    const secretFile = path.join(this.dir, 'peer-secret');
    writeFileSync(secretFile, `${PEER_SECRET}\n`, { mode: 0o600 });
    const other = this.lab.gatewayAddress(index === 0 ? 1 : 0);
    return {
      url: `http://${other}:${PEER_PORT}`,
      listenHost: '0.0.0.0',
      listenPort: PEER_PORT,
      secretFile,
      syncIntervalSeconds: 1,
    };
  }

  /** The latest process of gateway `index`'s agent. */
  node(index: GatewayIndex): AgentNodeProcess {
    const latest = this.processes.filter((p) => p.name.startsWith(NODE_IDS[index])).at(-1);
    if (latest === undefined) throw new Error(`${NODE_IDS[index]} never started`);
    return latest.node;
  }

  /**
   * Waits until only `gateway` holds the address and every charger connected `connections` times in all (one count for
   * all, or one per charger), noting the
   * holders on the way in `holdersSeen` (throws at once should two gateways hold it; gateways in `cutOff` are not
   * asked: an address on a link that is down reaches nobody).
   */
  async chargersOn(
    gateway: 'gw1' | 'gw2',
    connections: number | readonly number[],
    { cutOff = [] as readonly string[], timeoutMs = TAKEOVER_MS } = {},
  ): Promise<void> {
    const holders = this.holdersSeen;
    await until(
      `${gateway} holds the virtual address and every charger connected ${String(connections)} times`,
      () => {
        const now = this.lab.holders().filter((holder) => !cutOff.includes(holder));
        if (now.length > 1) throw new Error(`two gateways hold the address: ${now.join()}`);
        if (now[0] !== undefined && now[0] !== holders.at(-1)) holders.push(now[0]);
        const wanted = (i: number) => (typeof connections === 'number' ? connections : (connections[i] ?? 0));
        return now.join() === gateway && this.chargers.every((cp, i) => cp.boots >= wanted(i));
      },
      timeoutMs,
      () => this.state(),
    );
  }

  /** What a failing wait reports: the address's holders, the chargers' connections, the agents' last log lines. */
  state(): string {
    const chargers = this.chargers.map(
      (cp) => `${cp.charger.spec.id}: ${cp.boots} up, ${cp.failedAttempts} failed: ${cp.events.join(' | ')}`,
    );
    const line = (r: AgentLogRecord) => (r.reason === undefined ? r.msg : `${r.msg} (${r.reason})`);
    const nodes = this.processes.map(({ name, node }) => `${name}: ${node.records.slice(-8).map(line).join(' | ')}`);
    return [`holders: ${this.lab.holders().join() || 'none'}`, ...chargers, ...nodes].join('\n');
  }

  /** Each charger meters, stops its open transaction, and runs one more on whichever agent serves now. */
  async finishTransactions(): Promise<void> {
    for (const cp of this.chargers) {
      await cp.charger.sendMeterValues();
      await cp.charger.stop();
      await cp.charger.authorizeAndStart('TAG-2');
      await cp.charger.stop();
    }
  }

  /** The transactions as the chargers sent them and were answered, in the store's terms, by id. */
  sentTransactions(): StoredTransaction[] {
    return this.chargers
      .flatMap((cp) =>
        cp.wire.answered('StartTransaction').map((start) => {
          const id = Number((start.answer as { transactionId: number }).transactionId);
          const stop = cp.wire.answered('StopTransaction').find((s) => s.params.transactionId === id);
          return {
            id,
            charger_id: cp.charger.spec.id,
            meter_start_wh: Number(start.params.meterStart),
            meter_stop_wh: Number(stop?.params.meterStop),
            energy_wh: Number(stop?.params.meterStop) - Number(start.params.meterStart),
          };
        }),
      )
      .sort((x, y) => x.id - y.id);
  }

  /** The transactions in the SQLite of gateway `index`'s agent (stop it first), by id. */
  storedTransactions(index: GatewayIndex): StoredTransaction[] {
    return storedIn(this.node(index).dataDir);
  }

  /** Gateway `index` can no longer send to the chargers (a blackhole route): what they send still reaches its agent. */
  loseAnswersOf(index: GatewayIndex): void {
    this.lab.cutOff(GATEWAYS[index], HOST_ADDRESS);
  }

  /** The keys of the site's ledger in etcd now, without its prefix (needs a quorum). */
  ledgerKeys(): Promise<string[]> {
    return this.keysUnder('ampshare/failover-site/ledger/');
  }

  /** The etcd cluster across the lab (none on a two-gateway site). */
  get etcd(): EtcdCluster {
    if (this.etcdCluster === undefined) throw new Error('a two-gateway site runs no etcd');
    return this.etcdCluster;
  }

  /** The nodes whose presence key is in etcd now (etcd's word on their health; needs a quorum). */
  async healthyNodes(): Promise<string[]> {
    return (await this.keysUnder('ampshare/failover-site/presence/')).sort();
  }

  /** The keys under `prefix` in etcd now, without the prefix (needs a quorum). */
  private async keysUnder(prefix: string): Promise<string[]> {
    const client = new Etcd3({ hosts: this.etcd.endpoints, dialTimeout: 1_000 });
    try {
      const keys = await client
        .getAll()
        .prefix(prefix)
        .options({ deadline: new Date(Date.now() + 2_000) })
        .keys();
      return keys.map((key) => key.slice(prefix.length));
    } finally {
      client.close();
    }
  }

  /**
   * The transactions both agents stored (stop them first), by id: where both have one, the one with its stop (the master
   * that took the stop has it whole; the other may have it still open).
   */
  storedByEither(): StoredTransaction[] {
    const byId = new Map<number, StoredTransaction>();
    for (const row of [...storedIn(this.node(0).dataDir), ...storedIn(this.node(1).dataDir)]) {
      const known = byId.get(row.id);
      if (known === undefined || (known.meter_stop_wh === null && row.meter_stop_wh !== null)) byId.set(row.id, row);
    }
    return [...byId.values()].sort((x, y) => x.id - y.id);
  }

  /** Every SetChargingProfile the chargers received: who sent it, in which term (profile-senders.ts). */
  profilesSent(): ProfileSent[] {
    return chargingProfilesSent(
      this.processes.map(({ name, node }) => ({ name, records: node.records })),
      this.chargers.map((cp) => ({ id: cp.charger.spec.id, wire: cp.wire })),
    );
  }
}

function storedIn(dataDir: string): StoredTransaction[] {
  const db = new Database(path.join(dataDir, 'ampshare.sqlite'), { readonly: true });
  try {
    return db
      .prepare<[], StoredTransaction>(
        'SELECT id, charger_id, meter_start_wh, meter_stop_wh, energy_wh FROM transactions ORDER BY id',
      )
      .all();
  } finally {
    db.close();
  }
}

/** Waits, polling every 100 ms, until `check` holds; throws after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  state: () => string = () => '',
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error(`not within ${timeoutMs} ms: ${what}\n${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
