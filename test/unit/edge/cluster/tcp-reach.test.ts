import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { firstReachable } from '../../../../edge/cluster/tcp-reach';

describe('firstReachable', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function listening(): Promise<number> {
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  }

  async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('should answer the address and port that took the connection', async () => {
    // Arrange
    const port = await listening();

    // Act
    const reached = await firstReachable(['127.0.0.2', '127.0.0.1'], port, 1_000);

    // Assert: 127.0.0.2 is loopback too, but nothing listens there on the port
    expect(reached).toBe(`127.0.0.1:${port}`);
  });

  it('should answer nothing when no address takes a connection on the port', async () => {
    // Arrange
    const port = await closedPort();

    // Act
    const reached = await firstReachable(['127.0.0.1', '::1'], port, 1_000);

    // Assert
    expect(reached).toBeUndefined();
  });
});
