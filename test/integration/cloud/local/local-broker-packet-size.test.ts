/**
 * Issue 12 (size limits on every input): the local broker holds MQTT packets to AWS IoT Core's message size limit
 * (128 KiB) while it reads them, as AWS IoT does: a larger PUBLISH, or any larger packet (a CONNECT comes before any
 * password), closes that connection after its first bytes instead of being buffered whole (aedes would take up to
 * 256 MB per packet), and every other client carries on.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { MAX_MESSAGE_BYTES } from '../../../../shared/sync/sync-messages';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { remainingLength } from '../../../support/mqtt-remaining-length';
import { siteInput } from '../support/fleet-builders';
import {
  api,
  closed,
  connectGateway,
  nextOutcome,
  registerGateway,
  type GatewayClient,
  type GatewayCredentials,
} from './local-cloud-kit';

const WAIT_MS = 10_000;

/** Resolves once the broker closes `socket`, at most WAIT_MS. */
function socketClosed(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error('the broker kept the connection open')), WAIT_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('local broker: packet size limit', () => {
  let cloud: LocalCloud;
  let gateway: GatewayCredentials;
  let bystander: GatewayClient;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    gateway = await registerGateway(cloud, cloud.demo.siteId);
    expect((await api(cloud, '/sites', { method: 'POST', body: siteInput('site-b') })).status).toBe(201);
    const other = await registerGateway(cloud, 'site-b');
    bystander = await connectGateway(cloud, other);
  });
  afterAll(async () => {
    await bystander?.close();
    await cloud?.stop();
  });

  it('should close the connection of an unauthenticated client that announces a 200 MB CONNECT, after its first bytes', async () => {
    // Arrange
    const socket = connectTcp(cloud.broker.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const gone = socketClosed(socket);

    // Act: the fixed header of a CONNECT of 200 MB, then 256 KiB of it
    socket.write(Buffer.concat([Buffer.from([0x10]), Buffer.from(remainingLength(200_000_000))]));
    socket.write(Buffer.alloc(256 * 1024));

    // Assert
    await gone;
    expect(bystander.client.connected).toBe(true);
  });

  it('should drop a gateway that publishes a payload over 128 KiB, before the ingest sees it, and take one of 128 KiB', async () => {
    // Arrange
    const topic = gatewayStreamTopic(gateway.thingName, 'events');
    const sender = await connectGateway(cloud, gateway);
    const outcomes: string[] = [];
    const off = cloud.bridge.onOutcome((o) => {
      if (o.topic === topic) outcomes.push(o.kind);
    });

    // Act: a payload of exactly the limit reaches the ingest (which refuses it as no batch); one byte more does not
    const atLimit = nextOutcome(cloud.bridge, (o) => o.topic === topic);
    await sender.client.publishAsync(topic, Buffer.alloc(MAX_MESSAGE_BYTES, 0x20), { qos: 1 });
    expect(await atLimit).toMatchObject({ kind: 'ingest', result: { stored: 0 } });
    const dropped = closed(sender.client);
    sender.client.publish(topic, Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), { qos: 1 });
    await dropped;
    await cloud.bridge.idle();
    off();

    // Assert
    expect(outcomes).toEqual(['ingest']);
    expect(bystander.client.connected).toBe(true);
    await sender.client.endAsync(true);
  });
});
