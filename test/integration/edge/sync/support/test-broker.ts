/**
 * An embedded aedes broker on a free port that can be stopped and started again on the same port (AedesListener, as
 * the local cloud's broker); the port lies outside the ephemeral range, so no other socket takes it while stopped. Its sessions live in the aedes instance, so a persistent subscriber's queued QoS 1
 * messages survive the stop, as with a broker that keeps its sessions on disk (Mosquitto with persistence, AWS IoT
 * persistent sessions).
 */
import { Aedes } from 'aedes';
import { AedesListener } from '../../../../../cloud/local/aedes-listener';
import { restartPort } from '../../../../support/restart-port';

export class TestBroker {
  private readonly held = new Set<string>();
  private readonly listener: AedesListener;

  private constructor(
    readonly aedes: Aedes,
    port: number,
  ) {
    this.listener = new AedesListener(aedes, '127.0.0.1', port);
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
    const broker = new TestBroker(await Aedes.createBroker(options), await restartPort());
    await broker.listen();
    return broker;
  }

  get port(): number {
    return this.listener.port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Listens again (on the port it had before). */
  listen(): Promise<void> {
    return this.listener.listen();
  }

  /** Drops every connection and stops listening: to the clients, the broker is gone. */
  async stop(): Promise<void> {
    this.unfreeze();
    this.unfreeze = () => {};
    await this.listener.stopListening();
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
  }
}
