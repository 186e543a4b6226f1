/**
 * An embedded aedes broker on a free port that can be stopped and started again on the same port. Its sessions live
 * in the aedes instance, so a persistent subscriber's queued QoS 1 messages survive the stop, as with a broker that
 * keeps its sessions on disk (Mosquitto with persistence, AWS IoT persistent sessions).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export class TestBroker {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  private constructor(readonly aedes: Aedes) {}

  static async start(options: ConstructorParameters<typeof Aedes>[0] = {}): Promise<TestBroker> {
    const broker = new TestBroker(await Aedes.createBroker(options));
    await broker.listen();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Listens again (on the port it had before). */
  async listen(): Promise<void> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.aedes.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Drops every connection and stops listening: to the clients, the broker is gone. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
  }
}
