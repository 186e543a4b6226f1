/** The OCPP 1.6J central system: an ocpp-rpc server over ws or wss, one connection per charger, typed commands out. */
import { precheckUpgrade, refuseUpgrade } from './upgrade-precheck';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type { Logger } from 'pino';
import { configureAtBoot } from './boot-configuration';
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
import { registerChargePointHandlers } from './charge-point-handlers';
import { ChargerClockCheck } from './charger-clock';
import type { ChargerConnection, ChargerConnections } from './charger-connections';
import type { ChargerCapabilities } from './charger-events';
import { BootTriggerWatch } from './boot-trigger-watch';
import { bootAnswerMaxMs, ConnectionBoot } from './connection-boot';
import { reattachCharger } from './charger-reattach';
import { HandshakesFirst } from './handshakes-first';
import { AttachmentQueue } from './attachment-queue';
import { sendCommand, type CommandResult } from './command-sender';
import { timedCalls } from './timed-calls';
import { decideHandshake, OCPP_ENDPOINT, type HandshakePolicy, type HandshakeRequest } from './handshake-auth';
import type { RpcServerClient } from './rpc-server-client';
import type { AuthThrottle } from '../security/auth-throttle';
import { CHARGER_CLOSE_MESSAGES } from '../../shared/charger-close-messages';

/** The close code (private use range, RFC 6455 §7.4.2) for a connection replaced by a newer one with the same identity. */
export const REPLACED_CLOSE_CODE = 4000;

/** The close code for a charger whose place in the site changed (adopted, or dropped): it connects again under the new one. */
export const SITE_CHANGED_CLOSE_CODE = 4001;

/**
 * The most connections held Pending for adoption at once: an identity the site does not list gets in without a password
 * that could be checked, so a flood of made-up identities must not hold the server's connections (and memory).
 */
export const MAX_HELD_CHARGERS = 20;

/**
 * The longest a connected charger's boot configuration and re-attachment wait for other chargers' handshakes
 * (handshakes-first.ts): a connection that never sends its upgrade request must not keep a charger from its fail-safe.
 */
const HANDSHAKES_FIRST_MAX_MS = 5_000;

/**
 * The most chargers whose boot configuration or re-attachment is in flight at once (attachment-queue.ts); the rest wait
 * in the order they came. Each job is a few calls, so 32 at a time pass a fleet of 500 through in seconds on loopback
 * round trips, while the work they set off stays a small slice of the event loop beside the handshakes; and a few
 * chargers that answer only after their command timeout (some answer after 30 to 60 s) hold only their own slots.
 */
export const MAX_ATTACHING_CHARGERS = 32;

/** How long chargers get to answer our close frame on shutdown. */
const CLOSE_GRACE_MS = 2_000;

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

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 404;
  res.end();
}

/**
 * The rule for a second connection with an identity that is connected already: the newer one wins. A charger whose
 * network dropped reconnects long before its old connection times out (a half-open TCP connection is only noticed by a
 * missed ping), and refusing the newcomer would lock it out until then (CSMSs that refuse it are known to loop
 * chargers through reconnects: ocpp-go issues 314 and 358). The older connection gets a close frame with
 * `REPLACED_CLOSE_CODE` and a reason, and the replacement is logged and reported with both addresses, so two devices
 * configured with one identity, which would keep replacing each other, show up at once.
 */
function replace(previous: ChargerConnection, newer: RpcServerClient, log: Logger): void {
  const remoteAddress = newer.handshake.remoteAddress;
  const previousAddress = previous.client.handshake.remoteAddress;
  log.warn({ remoteAddress, previousAddress }, 'ocpp connection replaced by a newer one with the same identity');
  void previous.client
    .close({ code: REPLACED_CLOSE_CODE, reason: CHARGER_CLOSE_MESSAGES.replaced })
    .catch(() => undefined);
}

/** Starts the central system and resolves once it listens. */
export async function createCentralSystem(
  deps: CentralSystemDeps,
  options: CentralSystemOptions,
): Promise<CentralSystem> {
  const { logger, connections } = deps;
  const rpc = new RPCServer({
    protocols: ['ocpp1.6'],
    strictMode: true,
    callTimeoutMs: options.commandTimeoutMs,
    pingIntervalMs: options.pingIntervalSeconds * 1000,
    maxBadMessages: options.maxBadMessages,
    // No permessage-deflate even when a charger offers it: each connection would keep zlib contexts (hundreds of kB,
    // hundreds of MB at 1,000 chargers) to save a few hundred bytes per MeterValues.
    wssOptions: { maxPayload: options.maxFrameBytes, perMessageDeflate: false },
  });

  /** An identity the site does not list is recorded (never in the way of the handshake: a full disk only loses the record). */
  const recordUnknown = (handshake: { identity: string; remoteAddress: string | undefined }, isHeld: boolean) => {
    if (deps.unknownChargers === undefined || deps.directory.find(handshake.identity) !== undefined) return;
    try {
      deps.unknownChargers.recordAttempt({ ...handshake, at: deps.now(), held: isHeld });
    } catch (error) {
      logger.warn({ err: error, identity: handshake.identity }, 'unknown charger not recorded');
    }
  };

  /** The identities held Pending for adoption now (connected, not in the site). */
  const held = new Map<string, ChargerConnection>();

  /** What a charger's BootNotification is answered while nobody else answers it (the site's, else the unknown rule). */
  const registrationOf = (chargerId: string) =>
    deps.directory.find(chargerId) !== undefined ? 'Accepted' : options.unknownChargers;

  /** The handshake's decision, then, in front of a CSMS under the strict rule, whether its CSMS can be reached. */
  const decide = async (handshake: HandshakeRequest) => {
    const decided = await decideHandshake(handshake, options, deps);
    if (!decided.ok || deps.upstream === undefined) return decided;
    if (await deps.upstream.admit(handshake.identity, registrationOf(handshake.identity))) return decided;
    return { ok: false, httpStatus: 503, reason: 'CSMS unreachable' } as const;
  };

  rpc.auth((accept, reject, handshake, signal) => {
    decide(handshake).then(
      (decided) => {
        const full = decided.ok && decided.held && !held.has(handshake.identity) && held.size >= MAX_HELD_CHARGERS;
        const decision = full
          ? ({ ok: false, httpStatus: 503, reason: 'too many chargers wait for adoption' } as const)
          : decided;
        // A malformed identity or endpoint, a lockout: nothing to adopt.
        if (
          handshake.endpoint === OCPP_ENDPOINT &&
          (decision.ok || full || decision.httpStatus === 401 || decision.httpStatus === 404)
        )
          recordUnknown(handshake, decision.ok && decision.held);
        if (decision.ok) {
          accept({}, 'ocpp1.6');
          // The charger left while its CSMS link was being opened: no connection will take the link over.
          if (signal?.aborted === true && !connections.get(handshake.identity))
            deps.upstream?.detach(handshake.identity);
          return;
        }
        logger.warn(
          { identity: handshake.identity, remoteAddress: handshake.remoteAddress, reason: decision.reason },
          'ocpp handshake refused',
        );
        reject(decision.httpStatus, decision.reason);
      },
      (error: unknown) => {
        logger.error({ err: error, identity: handshake.identity }, 'ocpp handshake failed');
        reject(500, 'internal error');
      },
    );
  });

  const handshakes = new HandshakesFirst(HANDSHAKES_FIRST_MAX_MS);
  const attachments = new AttachmentQueue(MAX_ATTACHING_CHARGERS, (start) => handshakes.defer(start));

  rpc.on('client', (client: RpcServerClient) => {
    const chargerId = client.identity;
    handshakes.answered(client.handshake.request.socket);
    // The node stopped being the master while this charger's handshake was under way.
    if (deps.cluster !== undefined && !deps.cluster.gate.serving()) {
      void client.close({ code: 1012, reason: CHARGER_CLOSE_MESSAGES.notMaster }).catch(() => undefined);
      return;
    }
    const charger = deps.directory.find(chargerId);
    const previous = connections.get(chargerId);
    const connection: ChargerConnection = { client, caller: timedCalls(client), openedAt: deps.now() };
    connections.set(chargerId, connection);
    // ocpp-rpc reports each pong with its round trip since its latest ping: the charger was alive on this connection
    // after that ping left (the two-gateway rule counts only chargers heard so, docs/cluster.md).
    client.on('ping', ({ rtt }: { rtt: number }) => {
      connection.answeredPingAt = deps.now() - rtt;
    });
    const log = logger.child({ chargerId });
    if (previous !== undefined) replace(previous, client, log);

    client.on(
      'strictValidationFailure',
      (failure: {
        method: string;
        outbound: boolean;
        isCall: boolean;
        error: Error & { details?: { data?: unknown } };
      }) => {
        // ocpp-rpc answers with the whole offending payload in the CALLERROR's details (`details.data`): that echoes a
        // charger's frame back at it, and a frame nested 20,000 deep overflowed JSON.stringify, which closed the
        // connection instead of answering. The schema errors stay; the payload does not (this runs before the answer).
        delete failure.error.details?.data;
        log.warn(
          { method: failure.method, outbound: failure.outbound, isCall: failure.isCall, err: failure.error.message },
          'ocpp schema violation',
        );
      },
    );
    client.on('badMessage', (bad: { error: Error }) => log.warn({ err: bad.error.message }, 'ocpp bad message'));
    client.on('close', ({ code, reason }: { code?: number; reason?: string }) => {
      // A connection replaced by the charger's newer one goes quietly: the charger is still online.
      if (connections.get(chargerId) !== connection) return;
      connections.delete(chargerId);
      deps.upstream?.detach(chargerId);
      log.info({ code }, 'charger disconnected');
      deps.events.onEvent({ type: 'disconnected', chargerId, at: deps.now(), code, reason: reason ?? '' });
    });

    const phases = charger?.phases ?? 3;
    const registration = registrationOf(chargerId);
    if (registration === 'Pending') {
      held.set(chargerId, connection);
      client.once('close', () => {
        if (held.get(chargerId) === connection) held.delete(chargerId);
      });
    }
    const relay = deps.upstream?.attach(chargerId, registration);
    // Only a cluster master asks for boots (charger-reattach.ts); its watch must see the trigger leave.
    const bootWatch =
      deps.cluster !== undefined && registration === 'Accepted' ? new BootTriggerWatch(client) : undefined;
    const boot = new ConnectionBoot(
      bootWatch,
      () =>
        new Promise<void>((ended) =>
          attachments.run(() => {
            const failSafe = { amps: deps.failSafeAmps(chargerId), phases, minAmps: charger?.minAmps ?? 6 };
            return configureAtBoot(connections.gated(chargerId, connection.caller), { ...options, failSafe })
              .then(
                (outcome) => {
                  connection.capabilities = outcome.capabilities;
                  deps.events.onEvent({ type: 'configured', chargerId, at: deps.now(), ...outcome });
                },
                (error: unknown) => log.error({ err: error }, 'boot configuration failed'),
              )
              .finally(ended);
          }),
        ),
    );
    const { readiness } = deps;
    registerChargePointHandlers(client, {
      chargerId,
      chargerPhases: phases,
      registration,
      ...(relay && { relay }),
      ...(deps.cluster && { ledger: deps.cluster.ledger }),
      heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
      idTags: deps.idTags,
      transactionIds: deps.transactionIds,
      admission: deps.admission,
      events: deps.events,
      log,
      clock: new ChargerClockCheck(log),
      now: () => deps.now(),
      bootTriggered: () => boot.triggered(),
      onBootAccepted: () => boot.accepted(),
      ...(readiness && {
        protectBeforeAnswer: () =>
          boot.protectBeforeAnswer(readiness.protectedAfterBoot(chargerId), bootAnswerMaxMs(options.commandTimeoutMs)),
      }),
    });
    if (deps.cluster !== undefined && registration === 'Accepted') {
      const peer = connections.gated(chargerId, connection.caller);
      attachments.run(() =>
        reattachCharger(peer, options.commandTimeoutMs, boot).catch((error: unknown) =>
          log.error({ err: error }, 're-attaching the charger failed'),
        ),
      );
    }
    log.info({ remoteAddress: client.handshake.remoteAddress }, 'charger connected');
    deps.events.onEvent({
      type: 'connected',
      chargerId,
      at: deps.now(),
      remoteAddress: client.handshake.remoteAddress,
    });
    if (previous !== undefined) {
      deps.events.onEvent({
        type: 'connectionReplaced',
        chargerId,
        at: deps.now(),
        remoteAddress: client.handshake.remoteAddress,
        previousAddress: previous.client.handshake.remoteAddress,
      });
    }
  });

  const http: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, notFound)
    : createHttpServer(notFound);
  // The socket each upgrade arrives on: TLS's own once its handshake is done, else the TCP connection.
  http.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => handshakes.accepted(socket));
  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const refusal = precheckUpgrade(request, {
      basicAuth: options.basicAuth,
      throttle: deps.throttle,
      ...(deps.cluster && { master: deps.cluster.gate }),
    });
    if (refusal === undefined) return void rpc.handleUpgrade(request, socket, head);
    logger.warn(
      { remoteAddress: request.socket.remoteAddress, url: request.url, reason: refusal.reason },
      'ocpp handshake refused',
    );
    refuseUpgrade(socket, refusal);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.tls ? 'wss' : 'ws'}://${host}:${port}${OCPP_ENDPOINT}`;
  logger.info({ url }, 'ocpp central system listening');

  return {
    url,
    port,
    connectedChargers: () => connections.chargerIds(),
    isConnected: (chargerId) => connections.get(chargerId) !== undefined,
    reconnect: (chargerId) => {
      const connection = connections.get(chargerId);
      void connection?.client
        .close({ code: SITE_CHANGED_CLOSE_CODE, reason: CHARGER_CLOSE_MESSAGES.siteChanged })
        .catch(() => undefined);
    },
    capabilities: (chargerId) => connections.get(chargerId)?.capabilities,
    command: (chargerId, name, request, timeoutMs = options.commandTimeoutMs) =>
      sendCommand(connections.caller(chargerId), name, request, timeoutMs),
    close: async () => {
      attachments.close();
      handshakes.close();
      // A close frame (1001, going away) to every charger, so each knows at once and reconnects to whoever takes over,
      // instead of waiting out a dead connection; one that does not answer it within the grace is cut off.
      const polite = Promise.all(
        connections
          .all()
          .map((c) => c.client.close({ code: 1001, reason: CHARGER_CLOSE_MESSAGES.stopping }).catch(() => undefined)),
      );
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([polite, new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(grace);
      await rpc.close({ code: 1001, reason: CHARGER_CLOSE_MESSAGES.stopping, force: true });
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
