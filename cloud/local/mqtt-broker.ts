/** The local MQTT broker: embedded aedes (MQTT 3.1.1, QoS 0/1) over TCP, with the given access hooks. */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { BrokerAuthHooks } from './broker-auth';

export interface MqttBrokerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly auth: BrokerAuthHooks;
}

export interface MqttBroker {
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
  });
  const server: Server = createServer((socket) => aedes.handle(socket));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    aedes,
    url: `mqtt://${host}:${port}`,
    port,
    stop: async () => {
      // aedes first: it disconnects the clients, so that the server's close does not wait on their sockets.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
