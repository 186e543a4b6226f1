/**
 * The local broker's authentication and authorisation hooks for aedes: a gateway connects with the username and
 * password the local provisioner issued (client id = username = thing name, as AWS IoT ties a connection to its
 * thing), and may then publish, subscribe and receive only what the gateway IoT policy grants it (its own thing's
 * topics and `policy` shadow, see gateway-topic-access.ts).
 */
import type { AedesPublishPacket, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import type { GatewayRepository } from '../ports/gateway-repository';
import { gatewayMay } from './gateway-topic-access';

export interface BrokerAuthDeps {
  /** The local gateway provisioner's password check. */
  readonly authenticate: (username: string, password: string) => boolean;
  readonly gateways: Pick<GatewayRepository, 'findByThingName'>;
  readonly logger: { warn(details: object, message: string): void };
}

export interface BrokerAuthHooks {
  readonly authenticate: (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ) => void;
  readonly authorizePublish: (
    client: Client | null,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ) => void;
  readonly authorizeSubscribe: (
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ) => void;
  /** `iot:Receive`: a message the client's subscriptions match is delivered only if this returns it. */
  readonly authorizeForward: (client: Client, packet: AedesPublishPacket) => AedesPublishPacket | null;
}

const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  const error = new Error(message) as AuthenticateError;
  error.returnCode = returnCode;
  return error;
}

export function createBrokerAuth(deps: BrokerAuthDeps): BrokerAuthHooks {
  /** The thing name each connected gateway authenticated as. */
  const identities = new WeakMap<Client, string>();

  async function identify(client: Client, username: string | undefined, password: Buffer | undefined): Promise<string> {
    if (username === undefined || password === undefined || !deps.authenticate(username, password.toString('utf8'))) {
      throw authError('bad username or password', BAD_CREDENTIALS);
    }
    if (client.id !== username) throw authError(`client id must be the thing name "${username}"`, NOT_AUTHORIZED);
    const registration = await deps.gateways.findByThingName(username);
    if (registration?.status !== 'active') throw authError(`"${username}" is not an active gateway`, NOT_AUTHORIZED);
    return registration.thingName;
  }

  return {
    authenticate: (client, username, password, done) => {
      identify(client, username, password).then(
        (identity) => {
          identities.set(client, identity);
          done(null, true);
        },
        (error: unknown) => {
          deps.logger.warn(
            { clientId: client.id, username, reason: (error as Error).message },
            'broker connection refused',
          );
          done(error as AuthenticateError, false);
        },
      );
    },

    authorizePublish: (client, packet, done) => {
      // Only the broker itself publishes without a client (the shadow service's answers, lifecycle events).
      if (client === null) return done(null);
      const thingName = identities.get(client);
      if (thingName !== undefined && gatewayMay(thingName, 'publish', packet.topic)) return done(null);
      deps.logger.warn({ clientId: client.id, topic: packet.topic }, 'publish refused');
      // Like AWS IoT: an unauthorised publish closes the connection.
      done(new Error(`not authorised to publish to ${packet.topic}`));
    },

    authorizeSubscribe: (client, subscription, done) => {
      const thingName = identities.get(client);
      if (thingName !== undefined && gatewayMay(thingName, 'subscribe', subscription.topic))
        return done(null, subscription);
      deps.logger.warn({ clientId: client.id, topic: subscription.topic }, 'subscription refused');
      // A refused filter is answered with SUBACK 0x80; the connection stays up.
      done(null, null);
    },

    authorizeForward: (client, packet) => {
      const thingName = identities.get(client);
      if (thingName !== undefined && gatewayMay(thingName, 'receive', packet.topic)) return packet;
      deps.logger.warn({ clientId: client.id, topic: packet.topic }, 'delivery refused');
      return null;
    },
  };
}
