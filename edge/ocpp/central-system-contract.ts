/**
 * What the central system is given (its ports and options) and what it offers the agent (`CentralSystem`). Its own
 * file so that the server and the per-connection attach (charger-attach.ts) share these types without importing each
 * other.
 */
import type { Logger } from 'pino';
import type { CommandName, CommandRequest } from './central-system-commands';
import type {
  BootReadiness,
  ChargerCredentials,
  ChargerDirectory,
  ChargerEventListener,
  ChargerUpstream,
  IdTagAuthorizer,
  MasterGate,
  TransactionAdmission,
  TransactionIds,
  TransactionLedger,
  UnknownChargerLog,
} from './central-system-ports';
import type { ChargerConnections } from './charger-connections';
import type { ChargerCapabilities } from './charger-events';
import type { CommandResult } from './command-sender';
import type { HandshakePolicy } from './handshake-auth';
import type { AuthThrottle } from '../security/auth-throttle';

export interface CentralSystemDeps {
  /** Where the server keeps its connections (the lease sender reads the same). */
  readonly connections: ChargerConnections;
  readonly credentials: ChargerCredentials;
  readonly directory: ChargerDirectory;
  readonly idTags: IdTagAuthorizer;
  readonly transactionIds: TransactionIds;
  /** Whether the site can control a transaction on a connector (the control loop). */
  readonly admission: TransactionAdmission;
  readonly events: ChargerEventListener;
  readonly logger: Logger;
  /** Back-off and lockout of failed Basic auth passwords. */
  readonly throttle: AuthThrottle;
  /** The fail-safe limit per phase a charger holds without a lease (policy `failSafe.connectorAmps`). */
  failSafeAmps(chargerId: string): number;
  now(): number;
  /** In front of an operator's CSMS: every charger's calls go through its relay (edge/upstream, docs/csms.md). */
  readonly upstream?: ChargerUpstream;
  /**
   * As one node of a cluster (edge/cluster, docs/cluster.md): chargers are taken only while this node is the master
   * (the same gate is `connections`'), transactions are written to the ledger before they are answered, and a charger
   * that connects is re-attached (charger-reattach.ts).
   */
  readonly cluster?: { readonly gate: MasterGate; readonly ledger: TransactionLedger };
  /** Where identities the site does not list are recorded when they try to connect (adoption on the dashboard). */
  readonly unknownChargers?: UnknownChargerLog;
  /**
   * When a charger that booted is protected (the control loop): its real boot is answered then, not before, where we
   * answer it ourselves outside a cluster (docs/ocpp.md, "At boot"). Absent, boots are answered at once.
   */
  readonly readiness?: BootReadiness;
}

export interface CentralSystemOptions extends HandshakePolicy {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Security profile 2: serve wss with this certificate (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly heartbeatIntervalSeconds: number;
  /** How often each charger's WebSocket is pinged; one left unanswered until the next closes the connection. */
  readonly pingIntervalSeconds: number;
  readonly meterSampleIntervalSeconds: number;
  readonly nominalVolts: number;
  readonly commandTimeoutMs: number;
  /** Larger frames close that charger's connection (ws close code 1009). */
  readonly maxFrameBytes: number;
  /** Consecutive unparseable frames after which a charger is disconnected (close code 1002). */
  readonly maxBadMessages: number;
}

export interface CentralSystem {
  /** `ws://host:port/ocpp` or `wss://...`; chargers append `/<chargePointId>`. */
  readonly url: string;
  readonly port: number;
  connectedChargers(): string[];
  isConnected(chargerId: string): boolean;
  /** Closes a charger's connection so that it connects again under the site in force (adopted, or dropped from it). */
  reconnect(chargerId: string): void;
  /** What the charger reported at boot, once its boot configuration has run. */
  capabilities(chargerId: string): ChargerCapabilities | undefined;
  /** Sends any typed command; never throws for charger-side outcomes. */
  command<K extends CommandName>(
    chargerId: string,
    name: K,
    request: CommandRequest<K>,
    timeoutMs?: number,
  ): Promise<CommandResult<K>>;
  close(): Promise<void>;
}
