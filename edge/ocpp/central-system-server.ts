/**
 * The OCPP 1.6J central system: an ocpp-rpc server over ws or wss, one connection per charger, typed commands out.
 * Here the listening, the handshakes and the shutdown; what each accepted connection gets is in charger-attach.ts.
 */
import { precheckUpgrade, refuseUpgrade } from './upgrade-precheck';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type { CentralSystem, CentralSystemDeps, CentralSystemOptions } from './central-system-contract';
import { attachCharger } from './charger-attach';
import type { ChargerConnection } from './charger-connections';
import { HandshakesFirst } from './handshakes-first';
import { AttachmentQueue } from './attachment-queue';
import { sendCommand } from './command-sender';
import { decideHandshake, OCPP_ENDPOINT, type HandshakeRequest } from './handshake-auth';
import type { RpcServerClient } from './rpc-server-client';
import { CHARGER_CLOSE_MESSAGES } from '../../shared/charger-close-messages';

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

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 404;
  res.end();
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

  rpc.on('client', (client: RpcServerClient) =>
    attachCharger(client, { deps, options, held, handshakes, attachments, registrationOf }),
  );

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
