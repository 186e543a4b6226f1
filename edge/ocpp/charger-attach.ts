/**
 * What happens when a charger connects: its connection replaces an older one with its identity, is watched for its
 * boot, gets its boot configuration and its call handlers, is re-attached in a cluster, and is reported connected. Its
 * own file because this is the per-connection life, apart from the server's listening and handshakes.
 */
import type { Logger } from 'pino';
import { CHARGER_CLOSE_MESSAGES } from '../../shared/charger-close-messages';
import type { AttachmentQueue } from './attachment-queue';
import { configureAtBoot } from './boot-configuration';
import { BootTriggerWatch } from './boot-trigger-watch';
import type { CentralSystemDeps, CentralSystemOptions } from './central-system-contract';
import { registerChargePointHandlers } from './charge-point-handlers';
import { ChargerClockCheck } from './charger-clock';
import type { ChargerConnection } from './charger-connections';
import { reattachCharger } from './charger-reattach';
import { bootAnswerMaxMs, ConnectionBoot } from './connection-boot';
import type { HandshakesFirst } from './handshakes-first';
import type { RegistrationStatus } from './ocpp-values';
import type { RpcServerClient } from './rpc-server-client';
import { timedCalls } from './timed-calls';

/** The close code (private use range, RFC 6455 §7.4.2) for a connection replaced by a newer one with the same identity. */
export const REPLACED_CLOSE_CODE = 4000;

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

/** What the attach of one connection needs from the server that accepted it. */
export interface ChargerAttachContext {
  readonly deps: CentralSystemDeps;
  readonly options: CentralSystemOptions;
  /** The identities held Pending for adoption now (connected, not in the site). */
  readonly held: Map<string, ChargerConnection>;
  readonly handshakes: HandshakesFirst;
  readonly attachments: AttachmentQueue;
  /** What a charger's BootNotification is answered while nobody else answers it (the site's, else the unknown rule). */
  readonly registrationOf: (chargerId: string) => RegistrationStatus;
}

/** Takes a charger's new connection into the site (the server's `client` event). */
export function attachCharger(client: RpcServerClient, attach: ChargerAttachContext): void {
  const { deps, options, held, handshakes, attachments, registrationOf } = attach;
  const { logger, connections } = deps;
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
}
