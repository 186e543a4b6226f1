/** Helpers for tests against a running local cloud: API calls with the demo token, gateways as real MQTT 3.1.1 clients, bounded waits. */
import mqtt, { type MqttClient } from 'mqtt';
import type { BridgeOutcome, IotRulesBridge } from '../../../../cloud/local/iot-rules-bridge';
import type { LocalCloud } from '../../../../cloud/local/start-local-cloud';

const WAIT_MS = 10_000;

export async function api(
  cloud: LocalCloud,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${cloud.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${cloud.demo.token}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

export interface GatewayCredentials {
  readonly thingName: string;
  readonly username: string;
  readonly password: string;
}

/** Registers a gateway for a site through the API (the local provisioner issues its broker password); the demo tenant's unless another token is given. */
export async function registerGateway(
  cloud: LocalCloud,
  siteId: string,
  token = cloud.demo.token,
): Promise<GatewayCredentials> {
  const response = await api(cloud, `/sites/${siteId}/gateways`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (response.status !== 201)
    throw new Error(`gateway registration failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as {
    registration: { thingName: string };
    credentials: { username: string; password: string };
  };
  return {
    thingName: body.registration.thingName,
    username: body.credentials.username,
    password: body.credentials.password,
  };
}

/** A gateway's MQTT connection that keeps every message it receives, for `next`. */
export interface GatewayClient {
  readonly client: MqttClient;
  /** The next message on `topic` (received from now on, or already waiting) that `accept` takes, parsed as JSON. */
  next(topic: string, accept?: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Connects as a gateway. The message listener is attached before the connection exists: messages a persistent session
 * (`clean: false`) kept may arrive in the same chunk as the CONNACK.
 */
export async function connectGateway(
  cloud: LocalCloud,
  credentials: { username: string; password: string },
  clientId = credentials.username,
  clean = true,
): Promise<GatewayClient> {
  const client = mqtt.connect(cloud.mqttUrl, {
    clientId,
    username: credentials.username,
    password: credentials.password,
    protocolVersion: 4,
    clean,
    reconnectPeriod: 0,
    connectTimeout: WAIT_MS,
  });
  const received: { topic: string; body: Record<string, unknown> }[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload) => {
    received.push({ topic, body: JSON.parse(payload.toString('utf8')) as Record<string, unknown> });
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('connect', onConnect).off('error', settle).off('close', onClose);
      if (error === undefined) return resolve();
      client.end(true);
      reject(error);
    };
    const onConnect = () => settle();
    const onClose = () => settle(new Error(`connection to ${cloud.mqttUrl} closed before CONNACK`));
    client.on('connect', onConnect).on('error', settle).on('close', onClose);
  });
  return {
    client,
    next: (topic, accept = () => true) =>
      bounded(`a message on ${topic}`, (resolve) => {
        const look = () => {
          const index = received.findIndex((m) => m.topic === topic && accept(m.body));
          if (index < 0) return false;
          const [message] = received.splice(index, 1);
          resolve(message!.body);
          return true;
        };
        if (look()) return () => undefined;
        const wake = () => void look();
        waiters.add(wake);
        return () => waiters.delete(wake);
      }),
    close: () => client.endAsync(),
  };
}

/** The next bridge outcome that `accept` takes. Subscribe before the publish that causes it. */
export function nextOutcome(
  bridge: IotRulesBridge,
  accept: (outcome: BridgeOutcome) => boolean,
): Promise<BridgeOutcome> {
  return bounded('a bridge outcome', (resolve) => bridge.onOutcome((outcome) => accept(outcome) && resolve(outcome)));
}

/** Resolves when the client's connection closes (the broker drops it). */
export function closed(client: MqttClient): Promise<void> {
  return bounded('the connection to close', (resolve) => {
    if (!client.connected) {
      resolve();
      return () => undefined;
    }
    const onClose = () => resolve();
    client.once('close', onClose);
    return () => client.off('close', onClose);
  });
}

/** Waits for `start` to call resolve, at most WAIT_MS; `start` returns its cleanup. */
function bounded<T>(what: string, start: (resolve: (value: T) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup: () => void = () => undefined;
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
    }, WAIT_MS);
    cleanup = start((value) => {
      clearTimeout(timer);
      cleanup();
      resolve(value);
    });
  });
}
