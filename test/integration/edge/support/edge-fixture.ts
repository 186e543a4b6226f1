/** A real edge agent (startAgent) on a free port with a temp data dir, virtual chargers on the real clock and a recorder. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import type { EdgeConfigInput } from '../../../../edge/config/edge-config-schema';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import type { SyncConfigInput } from '../../../../edge/sync/sync-config';
import { startAgent, type RunningAgent } from '../../../../edge/main';
import type { Clock } from '../../../../edge/platform/clock';
import type { UpstreamConfigInput } from '../../../../edge/upstream/upstream-config';
import type { UpstreamLimits } from '../../../../edge/upstream/upstream-limits-port';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger, type VirtualChargerSpec } from '../../../../sim/charger/virtual-charger';
import { restartPort } from '../../../support/restart-port';
import { ControlRecorder } from './control-recorder';
import { ProfileLog } from './profile-log';

export const passwordOf = (id: string) => `integration-password-${id}`;

export interface EdgeOptions {
  readonly chargers: number;
  readonly policy?: Partial<PolicyInput>;
  /** A grid meter on the root circuit, read over Modbus TCP at this port. */
  readonly meterPort?: number;
  readonly dataDir?: string;
  /**
   * By default a free port outside the ephemeral range, which no other socket takes while the agent is down; a restart
   * passes the old one so that chargers find the agent again.
   */
  readonly ocppPort?: number;
  /** The cloud link (`sync` section); the site takes its `siteId`. */
  readonly sync?: SyncConfigInput;
  /** The operator's CSMS in front of which the agent runs (`upstream` section). */
  readonly upstream?: UpstreamConfigInput;
  /** Where the CSMS's own TxProfiles go. */
  readonly upstreamLimits?: UpstreamLimits;
  /**
   * Control settings over the fixture's (a long `leaseSeconds`, to tell a change sent at once from a renewal; a long
   * retry back-off, to tell a lease sent again by the lease sender from the control loop's retry; a long debounce and
   * tick, to hold the control loop's rounds back).
   */
  readonly control?: {
    readonly leaseSeconds?: number;
    readonly retryInitialMs?: number;
    readonly retryMaxMs?: number;
    readonly debounceMs?: number;
    readonly tickMs?: number;
  };
  /** The clock of the links to the CSMS (a soak runs them on virtual time). */
  readonly upstreamClock?: Clock;
  /** How chargers the site does not list are answered (default `Rejected`, at the handshake). */
  readonly unknownChargers?: 'Accepted' | 'Pending' | 'Rejected';
}

export interface EdgeFixture {
  readonly agent: RunningAgent;
  readonly events: ControlRecorder;
  readonly profiles: ProfileLog;
  readonly dataDir: string;
  /** A connected, booted virtual charger. */
  charger(id: string, spec?: Partial<VirtualChargerSpec>): Promise<VirtualCharger>;
  /** Plugs a car in and starts a transaction with `idTag`. */
  startSession(charger: VirtualCharger, idTag?: string): Promise<number>;
  /** Stops the agent only (the chargers stay), as a crash of the process would. */
  stopAgent(): Promise<void>;
  close(keepData?: boolean): Promise<void>;
}

export function edgeConfig(options: EdgeOptions, dataDir: string): EdgeConfigInput {
  const ids = Array.from({ length: options.chargers }, (_, i) => `CP-${i + 1}`);
  return {
    $schemaVersion: 1,
    site: {
      $schemaVersion: 1,
      id: options.sync?.siteId ?? 'it-site',
      circuits: [
        { id: 'main', parent: null, fuseAmps: 63, ...(options.meterPort !== undefined && { meterId: 'grid' }) },
      ],
      chargers: ids.map((id) => ({ id, circuit: 'main', phases: 3 as const, maxAmps: 32 })),
    },
    policy: {
      $schemaVersion: 1,
      budget: { unit: 'A', min: 6, max: 48 },
      vip: { enabled: true, idTags: ['VIP-1'] },
      hysteresis: { stepAmps: 1, minPauseSeconds: 0, minActiveSeconds: 0 },
      failSafe: { connectorAmps: 6 },
      ...options.policy,
    },
    meters:
      options.meterPort === undefined
        ? []
        : [
            {
              meterId: 'grid',
              model: 'eastron-sdm630',
              connection: { transport: 'tcp', host: '127.0.0.1', port: options.meterPort },
              poll: { intervalMs: 200, timeoutMs: 150, retries: 0, backoffInitialMs: 100, backoffMaxMs: 400 },
            },
          ],
    ocpp: {
      host: '127.0.0.1',
      port: options.ocppPort ?? 0,
      basicAuth: true,
      unknownChargers: options.unknownChargers ?? 'Rejected',
      meterSampleIntervalSeconds: 1,
      commandTimeoutMs: 1_000,
      heartbeatIntervalSeconds: 60,
    },
    chargerPasswords: Object.fromEntries(ids.map((id) => [id, { password: passwordOf(id) }])),
    idTags: { acceptAny: false, accepted: ['TAG-1', 'TAG-2', 'TAG-3', 'TAG-4'] },
    control: {
      debounceMs: 20,
      tickMs: 1_000,
      leaseSeconds: 30,
      unresponsiveAfterFailures: 3,
      retryInitialMs: 200,
      retryMaxMs: 1_000,
      saveEnergyEverySeconds: 1,
      ...options.control,
    },
    dataDir,
    logging: { level: 'silent' },
    ...(options.sync && { sync: options.sync }),
    ...(options.upstream && { upstream: options.upstream }),
  };
}

export async function startEdge(options: EdgeOptions): Promise<EdgeFixture> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ampshare-edge-'));
  const ocppPort = options.ocppPort ?? (await restartPort());
  const config = parseEdgeConfig(edgeConfig({ ...options, ocppPort }, dataDir), dataDir);
  const events = new ControlRecorder();
  const profiles = new ProfileLog();
  const agent = await startAgent(config, {
    logger: pino({ level: 'silent' }),
    observer: events,
    ...(options.upstreamLimits && { upstreamLimits: options.upstreamLimits }),
    ...(options.upstreamClock && { upstreamClock: options.upstreamClock }),
  });
  const chargers: VirtualCharger[] = [];
  let agentStopped = false;
  return {
    agent,
    events,
    profiles,
    dataDir,
    async charger(id, spec = {}) {
      const charger = new VirtualCharger(
        { ...DEFAULT_CHARGER, rampDelayMs: 50, ...spec, id, password: spec.password ?? passwordOf(id) },
        agent.ocppUrl,
        realClock,
      );
      profiles.attach(charger);
      chargers.push(charger);
      await charger.connect();
      return charger;
    },
    async startSession(charger, idTag = 'TAG-1') {
      await charger.plugIn(DEFAULT_CAR);
      const transactionId = await charger.authorizeAndStart(idTag);
      if (transactionId === undefined) throw new Error(`${idTag} was refused`);
      return transactionId;
    },
    async stopAgent() {
      agentStopped = true;
      await agent.stop();
    },
    async close(keepData = false) {
      await Promise.all(chargers.map((c) => c.close()));
      if (!agentStopped) await agent.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
