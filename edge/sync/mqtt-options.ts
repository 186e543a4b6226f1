/** Connection settings for the configured broker: AWS IoT Core with X.509 over TLS, or the local broker with a password. */
import type { IClientOptions } from 'mqtt';
import { readPemFile } from '../config/read-bounded-file';
import type { SyncConfig } from './sync-config';

export interface MqttConnectSettings {
  readonly url: string;
  readonly options: IClientOptions;
}

/** Reads a PEM file; the root passes `readBoundedFile` with `MAX_PEM_MIB`. */
export type ReadFile = (file: string) => Buffer;

/** The URL and options for `config.broker`; a certificate file that cannot be read (or is over its bound) is a `config.invalid` naming its field. */
export function mqttConnectSettings(config: SyncConfig, readFile: ReadFile): MqttConnectSettings {
  const common: IClientOptions = {
    clientId: config.thingName,
    // 3.1.1: aedes refuses MQTT 5, and AWS IoT Core speaks both.
    protocolVersion: 4,
    keepalive: config.keepaliveSeconds,
    connectTimeout: config.connectTimeoutMs,
    // A persistent session: the broker keeps our subscriptions and queues QoS 1 commands while we are away.
    clean: false,
  };
  const { broker } = config;
  if (broker.kind === 'aws-iot') {
    return {
      url: `mqtts://${broker.endpoint}:${broker.port}`,
      options: {
        ...common,
        cert: readPemFile(readFile, broker.certPath, 'sync.broker.certPath'),
        key: readPemFile(readFile, broker.keyPath, 'sync.broker.keyPath'),
        ca: readPemFile(readFile, broker.caPath, 'sync.broker.caPath'),
        servername: broker.endpoint,
        rejectUnauthorized: true,
      },
    };
  }
  return {
    url: broker.url,
    options: {
      ...common,
      username: broker.username,
      password: broker.password,
      ...(broker.caPath !== undefined && {
        ca: readPemFile(readFile, broker.caPath, 'sync.broker.caPath'),
        rejectUnauthorized: true,
      }),
    },
  };
}
