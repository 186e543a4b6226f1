/**
 * The local MQTT broker: embedded aedes (MQTT 3.1.1, QoS 0/1) over TCP, with the given access hooks. It can be cut
 * off and brought back on the same port with its sessions (an outage, for tests and demos of offline operation).
 */
import { Aedes } from 'aedes';
import { AedesListener } from './aedes-listener';
import type { BrokerAuthHooks } from './broker-auth';

export interface MqttBrokerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly auth: BrokerAuthHooks;
  readonly logger: { warn(details: object, message: string): void };
}

/** The outage switch: the broker keeps its sessions, queued messages and attached services while it is away. */
export interface BrokerOutage {
  readonly listening: boolean;
  /** Drops every connection and stops listening. */
  stopListening(): Promise<void>;
  /** Listens again on the same port. */
  listen(): Promise<void>;
}

export interface MqttBroker extends BrokerOutage {
  readonly aedes: Aedes;
  /** `mqtt://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startMqttBroker(options: MqttBrokerOptions): Promise<MqttBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker({
    authenticate: options.auth.authenticate,
    authorizePublish: options.auth.authorizePublish,
    authorizeSubscribe: options.auth.authorizeSubscribe,
    authorizeForward: options.auth.authorizeForward,
  });
  const closeAedes = () => new Promise<void>((resolve) => aedes.close(() => resolve()));
  const listener = new AedesListener(aedes, host, options.port ?? 0, (details) =>
    options.logger.warn(details, 'MQTT connection closed: packet over the message size limit'),
  );
  try {
    await listener.listen();
  } catch (error) {
    await closeAedes();
    throw error;
  }
  const { port } = listener;
  return {
    aedes,
    url: `mqtt://${host}:${port}`,
    port,
    get listening() {
      return listener.listening;
    },
    stopListening: () => listener.stopListening(),
    listen: () => listener.listen(),
    stop: async () => {
      await listener.stopListening();
      await closeAedes();
    },
  };
}
