/**
 * An embedded aedes broker on a free port that can be stopped and started again on the same port. Its sessions live
 * in the aedes instance, so a persistent subscriber's queued QoS 1 messages survive the stop, as with a broker that
 * keeps its sessions on disk (Mosquitto with persistence, AWS IoT persistent sessions).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export class TestBroker {
  private server: Server | undefined;
  private readonly held = new Set<string>();
  private readonly sockets = new Set<Socket>();
  port = 0;

  private constructor(readonly aedes: Aedes) {
    // A held client id is refused (CONNACK "not authorized") until `admit`: lets a test order who comes back first.
    aedes.authenticate = (client, _username, _password, callback) => {
      if (this.held.has(client.id)) callback(Object.assign(new Error('held'), { returnCode: 5 }), false);
      else callback(null, true);
    };
  }

  /**
   * From now on, publishes of `clientId` are neither acknowledged nor delivered (aedes answers PUBACK only after
   * `authorizePublish`): a cut in the middle of a stream, with batches in flight, that the subscribers fully saw.
   */
  freeze(clientId: string): void {
    const authorize = this.aedes.authorizePublish;
    this.unfreeze = () => {
      this.aedes.authorizePublish = authorize;
    };
    this.aedes.authorizePublish = (client, packet, callback) => {
      if (client?.id === clientId) return;
      authorize.call(this.aedes, client, packet, callback);
    };
  }

  private unfreeze = (): void => {};

  hold(clientId: string): void {
    this.held.add(clientId);
  }

  admit(clientId: string): void {
    this.held.delete(clientId);
  }

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
    this.unfreeze();
    this.unfreeze = () => {};
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    // aedes tears a client down asynchronously; a client that came back before that would lose its new subscriptions.
    await new Promise<void>((resolve, reject) => {
      if (this.aedes.connectedClients === 0) return resolve();
      const timer = setTimeout(() => reject(new Error('aedes clients still connected')), 5_000);
      const check = () => {
        if (this.aedes.connectedClients !== 0) return;
        clearTimeout(timer);
        this.aedes.off('clientDisconnect', check);
        resolve();
      };
      this.aedes.on('clientDisconnect', check);
    });
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
  }
}
