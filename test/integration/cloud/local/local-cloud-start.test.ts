/**
 * Starting the local cloud beside another one (issue 16): a taken MQTT, API or DynamoDB port moves that part to a free
 * one with a notice saying which and how to choose, or without the fallback fails naming the option; DynamoDB's port
 * can be chosen; and no AWS SDK warning about the Node version is printed on the way.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';

const held: Server[] = [];
const started: LocalCloud[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((cloud) => cloud.stop()));
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A port of 127.0.0.1 that something else holds. */
async function takenPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  held.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A port nothing listens on (freed again before use). */
async function freePort(): Promise<number> {
  const port = await takenPort();
  await new Promise((resolve) => held.pop()?.close(resolve));
  return port;
}

describe('local cloud start-up', () => {
  it('should move a taken MQTT, API and DynamoDB port to a free one and say so, quietly about the Node version', async () => {
    // Arrange
    const [mqttPort, apiPort, dynamoDbPort] = [await takenPort(), await takenPort(), await takenPort()];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);

    // Act
    const cloud = await startLocalCloud({
      mqttPort,
      apiPort,
      dynamoDbPort,
      dynamoDbEngine: 'dynalite',
      portFallback: true,
    });
    started.push(cloud);
    process.off('warning', onWarning);

    // Assert
    expect(cloud.mqttPort).not.toBe(mqttPort);
    expect(new URL(cloud.apiUrl).port).not.toBe(String(apiPort));
    expect(cloud.notices).toEqual([
      `DynamoDB: port ${dynamoDbPort} is taken (another local cloud or service?), listening on ${new URL(cloud.dynamoDb.endpoint).port} instead; --dynamodb-port N chooses one`,
      `MQTT broker: port ${mqttPort} is taken (another local cloud or service?), listening on ${cloud.mqttPort} instead; --mqtt-port N chooses one`,
      `API and console: port ${apiPort} is taken (another local cloud or service?), listening on ${new URL(cloud.apiUrl).port} instead; --api-port N chooses one`,
    ]);
    expect((await fetch(`${cloud.apiUrl}/openapi.json`)).status).toBe(200);
    expect(warnings.filter((w) => w.includes('NodeVersionSupportWarning'))).toEqual([]);
  });

  it('should listen on the DynamoDB port it is given', async () => {
    // Arrange
    const dynamoDbPort = await freePort();

    // Act
    const cloud = await startLocalCloud({ dynamoDbPort, dynamoDbEngine: 'dynalite' });
    started.push(cloud);

    // Assert
    expect(cloud.dynamoDb.endpoint).toBe(`http://127.0.0.1:${dynamoDbPort}`);
    expect(cloud.notices).toEqual([]);
  });

  it('should fail on a taken port without the fallback, naming the option that chooses another', async () => {
    // Arrange
    const mqttPort = await takenPort();

    // Act
    const start = startLocalCloud({ mqttPort, dynamoDbEngine: 'dynalite' });

    // Assert
    await expect(start).rejects.toThrow(`MQTT broker: port ${mqttPort} is taken; choose another with --mqtt-port N`);
  });
});
