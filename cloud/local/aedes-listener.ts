/**
 * The TCP side of an embedded aedes broker. It can stop listening and listen again on the same port while the aedes
 * instance lives on, with its persistent sessions, the QoS 1 messages queued for them and the services attached to
 * it (shadow service, rules bridge): to the clients the broker is gone, then back, as a broker that keeps its
 * sessions (AWS IoT persistent sessions, Mosquitto with persistence) does after an outage. As AWS IoT, it closes a
 * connection that sends a packet over 128 KiB of payload, judged from the packet's first bytes (mqtt-packet-size-limit.ts).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Aedes } from 'aedes';
import { MAX_MESSAGE_BYTES } from '../../shared/sync/sync-messages';
import { MqttPacketSizeLimit } from './mqtt-packet-size-limit';

/** Hears of a connection closed for a packet over AWS IoT's message size limit. */
export type OversizedPacketListener = (details: { remoteAddress: string | undefined; reason: string }) => void;

/** Bound on aedes tearing down the clients of the dropped connections. */
const TEARDOWN_MS = 5_000;

export class AedesListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort: number;

  /** `port` 0 picks a free port on the first `listen()`; later ones reuse it. */
  constructor(
    private readonly aedes: Aedes,
    private readonly host: string,
    port: number,
    private readonly onOversized: OversizedPacketListener = () => undefined,
  ) {
    this.boundPort = port;
  }

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Accepts connections (again) on the port it had, or on `port` the first time. */
  async listen(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.limitPacketSize(socket);
      this.aedes.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /**
   * Judges each chunk as aedes reads it: with aedes's 'readable' listener in charge, 'data' fires only for what it
   * reads, so this adds no buffering of its own, and the socket is destroyed before the packet's body is read.
   */
  private limitPacketSize(socket: Socket): void {
    const limit = new MqttPacketSizeLimit(MAX_MESSAGE_BYTES);
    const judge = (chunk: Buffer) => {
      const reason = limit.push(chunk);
      if (reason === undefined) return;
      socket.off('data', judge);
      socket.destroy();
      this.onOversized({ remoteAddress: socket.remoteAddress, reason });
    };
    socket.on('data', judge);
  }

  /** Drops every connection and stops listening; resolves once aedes has let go of every client. */
  async stopListening(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    // aedes tears a client down asynchronously; a client that came back before that would lose its new subscriptions.
    await new Promise<void>((resolve, reject) => {
      if (this.aedes.connectedClients === 0) return resolve();
      const timer = setTimeout(() => {
        this.aedes.off('clientDisconnect', check);
        reject(new Error(`aedes still holds ${this.aedes.connectedClients} clients after ${TEARDOWN_MS} ms`));
      }, TEARDOWN_MS);
      const check = () => {
        if (this.aedes.connectedClients !== 0) return;
        clearTimeout(timer);
        this.aedes.off('clientDisconnect', check);
        resolve();
      };
      this.aedes.on('clientDisconnect', check);
    });
  }
}
