/** Starts a central system on 127.0.0.1 port 0 with honest in-memory ports, for integration tests. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ChargerSchema, type Charger } from '../../../../shared/site/site-schema';
import type {
  CentralSystem,
  CentralSystemDeps,
  CentralSystemOptions,
} from '../../../../edge/ocpp/central-system-contract';
import { createCentralSystem } from '../../../../edge/ocpp/central-system-server';
import { ChargerConnections } from '../../../../edge/ocpp/charger-connections';
import { OcppLeaseSender } from '../../../../edge/ocpp/lease-sender';
import { systemClock } from '../../../../edge/platform/clock';
import type {
  ChargerDirectory,
  IdTagAuthorizer,
  IdTagDecision,
  TransactionIds,
} from '../../../../edge/ocpp/central-system-ports';
import { MemoryChargerCredentials } from '../../../../edge/ocpp/memory-credentials';
import { OcppAuthLockoutSchema } from '../../../../edge/config/edge-config-schema';
import { AuthThrottle, type Lockout } from '../../../../edge/security/auth-throttle';
import { EventRecorder } from './event-recorder';

export const ACCEPTED_TAGS = ['TAG-1', 'TAG-2', 'TAG-3', 'VIP-1'];
export const VIP_TAGS = ['VIP-1'];

export class CountingTransactionIds implements TransactionIds {
  private last = 0;
  next(): Promise<number> {
    return Promise.resolve(++this.last);
  }
}

export class LocalIdTags implements IdTagAuthorizer {
  authorize(_chargerId: string, idTag: string): Promise<IdTagDecision> {
    return Promise.resolve({
      status: ACCEPTED_TAGS.includes(idTag) ? 'Accepted' : 'Invalid',
      vip: VIP_TAGS.includes(idTag),
    });
  }
}

export interface FixtureCharger {
  readonly id: string;
  readonly password: string;
  readonly phases: 1 | 3;
  readonly maxAmps: number;
}

export interface Fixture {
  readonly cs: CentralSystem;
  /** The chargers connected now, as the central system keeps them. */
  readonly connections: ChargerConnections;
  readonly events: EventRecorder;
  readonly credentials: MemoryChargerCredentials;
  /** The control loop's lease sender over the same connections. */
  readonly leases: OcppLeaseSender;
  /** Every log line the central system wrote (warn and above), parsed. */
  readonly logs: { msg: string; [key: string]: unknown }[];
  /** Every lockout the sign-in throttle started. */
  readonly lockouts: Lockout[];
  close(): Promise<void>;
}

export const FAIL_SAFE_AMPS = 6;

export async function startCentralSystem(
  chargers: readonly FixtureCharger[],
  options: Partial<CentralSystemOptions> = {},
  now: () => number = () => Date.now(),
  /** As one node of a cluster: its master gate and ledger (edge/cluster). */
  cluster?: CentralSystemDeps['cluster'],
): Promise<Fixture> {
  const credentials = new MemoryChargerCredentials();
  await Promise.all(chargers.map((c) => credentials.set(c.id, c.password)));
  const site = new Map<string, Charger>(
    chargers.map((c) => [
      c.id,
      ChargerSchema.parse({ id: c.id, circuit: 'main', phases: c.phases, maxAmps: c.maxAmps }),
    ]),
  );
  const directory: ChargerDirectory = { find: (id) => site.get(id) };
  const events = new EventRecorder();
  const logs: Fixture['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as Fixture['logs'][number]);
      done();
    },
  });
  const lockouts: Lockout[] = [];
  const throttle = new AuthThrottle('ocpp', OcppAuthLockoutSchema.parse({}), {
    now,
    onLockout: (lockout) => lockouts.push(lockout),
  });
  const connections = new ChargerConnections();
  const settings: CentralSystemOptions = {
    host: '127.0.0.1',
    port: 0,
    basicAuth: true,
    unknownChargers: 'Rejected',
    heartbeatIntervalSeconds: 60,
    pingIntervalSeconds: 30,
    meterSampleIntervalSeconds: 10,
    nominalVolts: 230,
    commandTimeoutMs: 2_000,
    maxFrameBytes: 64 * 1024,
    maxBadMessages: 5,
    ...options,
  };
  const cs = await createCentralSystem(
    {
      connections,
      credentials,
      directory,
      idTags: new LocalIdTags(),
      transactionIds: new CountingTransactionIds(),
      // The OCPP layer alone: every connector may start (the agent tests run the control loop's own admission).
      admission: { refusal: () => undefined },
      events,
      logger: pino({ level: 'warn' }, sink),
      throttle,
      failSafeAmps: () => FAIL_SAFE_AMPS,
      now,
      ...(cluster && { cluster }),
    },
    settings,
  );
  return {
    cs,
    connections,
    leases: new OcppLeaseSender(connections, settings, { ...systemClock, now }),
    events,
    credentials,
    logs,
    lockouts,
    close: () => cs.close(),
  };
}
