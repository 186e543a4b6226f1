/**
 * A real edge agent as a process (`edge/start.ts --config <file>`, the command a gateway runs), in a gateway's network
 * namespace of the lab, in a process group of its own so SIGKILL reaches it whole. Its configuration is the edge
 * fixture's site with a `cluster` section; its JSON log lines are kept, to wait for it to serve as master.
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ClusterConfig } from '../../../../edge/cluster/cluster-config';
import { ConditionWaiters } from '../../../support/condition-waiters';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import { edgeConfig } from '../../edge/support/edge-fixture';
import type { LabGridMeterAddress } from './lab-grid-meter';
import { nextReceipt } from './receipt-order';
import type { LabHost, VrrpLab } from './vrrp-lab';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
export const AGENT_OCPP_PORT = 9000;

type LeaseAndWitness = 'witness' | 'leaseTtlSeconds' | 'fenceMarginMs' | 'leaseRenewalMs' | 'etcdElectionMs';

export interface AgentNodeSettings {
  readonly host: LabHost;
  readonly siteId: string;
  readonly chargers: number;
  /** The cluster section; left out, the lease (TTL, margin, renewal) and the witness are the configuration's defaults. */
  readonly cluster: Omit<ClusterConfig, 'etcdCallTimeoutMs' | LeaseAndWitness> &
    Partial<Pick<ClusterConfig, LeaseAndWitness>>;
  /** How long the agent's leases last, over the fixture's 30 s. */
  readonly leaseSeconds?: number;
  /** How often the agent pings its chargers, over the default 30 s. */
  readonly pingIntervalSeconds?: number;
  /** The site's grid meter on the main circuit, read over Modbus TCP with the default poll settings. */
  readonly gridMeter?: LabGridMeterAddress;
  /** Policy settings over the fixture's. */
  readonly policy?: Partial<PolicyInput>;
}

/** One log line of the agent, with its place in the test's order of receipts (receipt-order.ts). */
export interface AgentLogRecord {
  readonly msg: string;
  readonly order: number;
  readonly term?: string;
  readonly chargerId?: string;
  /** Why, for a fence or an error. */
  readonly reason?: string;
  /**
   * When the agent logged it (its `time`, epoch ms): the lab's processes share the machine's clock. Not when it arrived
   * here: the agent writes its log asynchronously (pino's default), so a frame it sent after a line can arrive first.
   */
  readonly atMs?: number;
}

export class AgentNodeProcess {
  readonly messages: string[] = [];
  readonly records: AgentLogRecord[] = [];
  readonly dataDir: string;
  private readonly child: ChildProcess;
  private readonly waiters = new ConditionWaiters();

  constructor(lab: VrrpLab, dir: string, settings: AgentNodeSettings) {
    this.dataDir = path.join(dir, `${settings.cluster.nodeId}-data`);
    mkdirSync(this.dataDir, { recursive: true });
    const { gridMeter, policy } = settings;
    const base = edgeConfig(
      { chargers: settings.chargers, ...(gridMeter && { meterPort: gridMeter.port }), ...(policy && { policy }) },
      this.dataDir,
    );
    const configFile = path.join(dir, `${settings.cluster.nodeId}.json`);
    const config = {
      ...base,
      site: { ...base.site, id: settings.siteId },
      ocpp: {
        ...base.ocpp,
        host: '0.0.0.0',
        port: AGENT_OCPP_PORT,
        ...(settings.pingIntervalSeconds !== undefined && { pingIntervalSeconds: settings.pingIntervalSeconds }),
      },
      // The meter is on the chargers' side of the segment, not on loopback; it is polled as the configuration's defaults say.
      ...(gridMeter && {
        meters: [
          {
            meterId: 'grid',
            model: gridMeter.model,
            connection: { transport: 'tcp', host: gridMeter.host, port: gridMeter.port },
          },
        ],
      }),
      dashboard: { enabled: false },
      logging: { level: 'info' },
      cluster: settings.cluster,
      ...(settings.leaseSeconds !== undefined && { control: { ...base.control, leaseSeconds: settings.leaseSeconds } }),
    };
    writeFileSync(configFile, JSON.stringify(config));
    this.child = lab.spawnIn(
      settings.host,
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'edge/start.ts'), '--config', configFile],
      ['ignore', 'pipe', 'inherit'],
    );
    if (this.child.stdout === null) throw new Error('no stdout');
    // The whole log stays in the lab's folder (`gw-a.log`...), for a failing test's reader.
    const logFile = path.join(dir, `${settings.cluster.nodeId}.log`);
    createInterface({ input: this.child.stdout }).on('line', (text) => {
      appendFileSync(logFile, `${text}\n`);
      const record = logRecord(text);
      this.messages.push(record.msg);
      this.records.push(record);
      this.waiters.changed();
    });
  }

  /** Resolves once the agent has logged `message` `count` times in all. */
  logged(message: string, timeoutMs: number, count = 1): Promise<void> {
    return this.waiters.until(
      `"${message}" logged ${count} times`,
      () => this.messages.filter((m) => m === message).length >= count,
      timeoutMs,
      () => this.messages.slice(-20).join(' | '),
    );
  }

  /** Sends `signal` to the agent's whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null)
      process.kill(-this.child.pid, signal);
  }

  /** Resolves once the process has exited. */
  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }
}

function logRecord(text: string): AgentLogRecord {
  const order = nextReceipt();
  try {
    const line = JSON.parse(text) as {
      msg?: unknown;
      term?: unknown;
      chargerId?: unknown;
      reason?: unknown;
      err?: unknown;
      time?: unknown;
    };
    return {
      msg: String(line.msg),
      order,
      ...(typeof line.term === 'string' && { term: line.term }),
      ...(typeof line.chargerId === 'string' && { chargerId: line.chargerId }),
      ...(typeof line.time === 'number' && { atMs: line.time }),
      ...((line.reason ?? line.err) !== undefined && { reason: JSON.stringify(line.reason ?? line.err).slice(0, 300) }),
    };
  } catch {
    return { msg: text, order };
  }
}
