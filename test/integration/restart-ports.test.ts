/**
 * The servers that tests stop and start again on the same port (a broker outage, a CSMS or an agent restart) listen
 * below the kernel's ephemeral range: test files run side by side, and while such a server is down, a port 0 listen
 * or an outgoing connection of a file beside it is never handed its port.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeralRangeStart, restartPort } from '../support/restart-port';
import { startEdge, type EdgeFixture } from './edge/support/edge-fixture';
import { TestBroker } from './edge/sync/support/test-broker';
import { TsOcppCsms } from './upstream/support/ts-ocpp-csms';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('ports of servers that tests restart', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should draw a free port below the ephemeral range that a server can listen on, leave, and listen on again', async () => {
    // Act
    const port = await restartPort();
    const first = await listen(port);
    await close(first);
    const again = await listen(port);
    await close(again);

    // Assert
    expect(port).toBeLessThan(ephemeralRangeStart());
  });

  it("should give the test broker, the operator's CSMS and the edge agent such a port", async () => {
    // Act
    const broker = await TestBroker.start();
    cleanups.push(() => broker.close());
    const csms = await TsOcppCsms.start();
    cleanups.push(() => csms.close());
    const edge: EdgeFixture = await startEdge({ chargers: 1 });
    cleanups.push(() => edge.close());

    // Assert
    const below = ephemeralRangeStart();
    expect(broker.port).toBeLessThan(below);
    expect(csms.port).toBeLessThan(below);
    expect(edge.agent.ocppPort).toBeLessThan(below);
  });
});
