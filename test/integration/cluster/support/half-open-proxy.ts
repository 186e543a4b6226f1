/**
 * A TCP relay on 127.0.0.1 in front of one gateway, which can leave the gateway a half-open socket: `cut()` drops the
 * charger's side and from then on forwards nothing either way, without ever closing the gateway's side. That is what a
 * gateway sees when its charger moved to the other gateway behind a partition: no FIN, no RST, its pings unanswered.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class HalfOpenProxy {
  private readonly pairs: { charger: net.Socket; gateway: net.Socket }[] = [];
  private cutOff = false;

  private constructor(private readonly server: net.Server) {}

  /** Listens on a free port and relays each connection to `port` on 127.0.0.1. */
  static async start(port: number): Promise<HalfOpenProxy> {
    const server = net.createServer();
    const proxy = new HalfOpenProxy(server);
    server.on('connection', (charger) => proxy.relay(charger, port));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resets the chargers' side of every connection; the gateway's side stays open and silent. */
  cut(): void {
    this.cutOff = true;
    for (const { charger, gateway } of this.pairs) {
      charger.unpipe(gateway);
      gateway.unpipe(charger);
      // Whatever the gateway sends from now on (its pings) goes nowhere, and is not answered.
      gateway.on('data', () => undefined);
      charger.resetAndDestroy();
    }
  }

  /** Relays new connections again (the partition healed); the connections cut stay dead, as after a partition. */
  heal(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    for (const { charger, gateway } of this.pairs) {
      charger.destroy();
      gateway.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(charger: net.Socket, port: number): void {
    if (this.cutOff) return void charger.destroy();
    const gateway = net.connect(port, '127.0.0.1');
    this.pairs.push({ charger, gateway });
    for (const socket of [charger, gateway]) socket.on('error', () => undefined);
    charger.pipe(gateway, { end: false });
    gateway.pipe(charger, { end: false });
  }
}
