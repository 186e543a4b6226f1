/**
 * The local broker's lifecycle events, as AWS IoT publishes them: `$aws/events/presence/connected/<clientId>` when a
 * client has connected (authenticated and registered) and `$aws/events/presence/disconnected/<clientId>` when its
 * connection ends (a DISCONNECT, a dropped socket, a broker outage, or a newer connection with the same client id).
 * Each connection of a client id gets the next version number; its connect and its disconnect carry the same one.
 */
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { presenceTopic, type PresenceEventType } from '../../shared/sync/sync-topics';
import type { PresenceEvent } from '../ingest/presence-event';

export interface PresenceEventsDeps {
  readonly aedes: Aedes;
  /** Epoch ms. */
  readonly clock: () => number;
  readonly logger: { error(details: object, message: string): void };
}

export interface PresenceEvents {
  detach(): void;
}

interface ClientFlags {
  /** aedes sets it when the client sent DISCONNECT. */
  readonly _disconnected?: boolean;
}

export function attachPresenceEvents(deps: PresenceEventsDeps): PresenceEvents {
  const { aedes } = deps;
  const versions = new Map<string, number>();
  const connections = new WeakMap<Client, number>();

  const publish = (
    eventType: PresenceEventType,
    client: Client,
    versionNumber: number,
    extra: Partial<PresenceEvent>,
  ) => {
    const event: PresenceEvent = { clientId: client.id, eventType, timestamp: deps.clock(), versionNumber, ...extra };
    const packet = {
      cmd: 'publish',
      topic: presenceTopic(eventType, client.id),
      payload: Buffer.from(JSON.stringify(event)),
      qos: 1,
      retain: false,
      dup: false,
    } as AedesPublishPacket;
    aedes.publish(packet, (error) => {
      if (error) deps.logger.error({ err: error, clientId: client.id, eventType }, 'lifecycle event not published');
    });
  };

  const onConnect = (client: Client) => {
    const versionNumber = (versions.get(client.id) ?? 0) + 1;
    versions.set(client.id, versionNumber);
    connections.set(client, versionNumber);
    publish('connected', client, versionNumber, {});
  };
  const onDisconnect = (client: Client) => {
    const versionNumber = connections.get(client);
    if (versionNumber === undefined) return;
    const clientInitiatedDisconnect = (client as Client & ClientFlags)._disconnected === true;
    publish('disconnected', client, versionNumber, {
      clientInitiatedDisconnect,
      disconnectReason: clientInitiatedDisconnect ? 'CLIENT_INITIATED_DISCONNECT' : 'CONNECTION_LOST',
    });
  };
  aedes.on('client', onConnect);
  aedes.on('clientDisconnect', onDisconnect);

  return {
    detach: () => {
      aedes.off('client', onConnect);
      aedes.off('clientDisconnect', onDisconnect);
    },
  };
}
