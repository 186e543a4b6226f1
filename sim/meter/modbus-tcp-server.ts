/** A Modbus TCP server (MBAP framing) for simulated meters: listens on 127.0.0.1, can die, come back and misbehave. */
import net from 'node:net';
import { answerPdu, exceptionPdu, type RegisterSource } from './modbus-pdu';
import { withGarbage, type ServerMode } from './server-mode';

const MBAP_BYTES = 7;
const GATEWAY_TARGET_FAILED = 0x0b;

export interface ModbusTcpServerOptions {
  readonly source: RegisterSource;
  /** The unit id the meter answers to (255 and 0 are accepted too, as gateways do). Default 1. */
  readonly unitId?: number;
  readonly host?: string;
  /** 0 (the default) picks a free port on the first start; restarts reuse it. */
  readonly port?: number;
}

export interface ModbusTcpServer {
  /** Starts listening; resolves with the port. */
  start(): Promise<number>;
  /** Stops listening and drops every connection, as a meter that loses power does. */
  stop(): Promise<void>;
  setMode(mode: ServerMode): void;
  readonly port: number;
}

export function createModbusTcpServer(options: ModbusTcpServerOptions): ModbusTcpServer {
  const unitId = options.unitId ?? 1;
  const host = options.host ?? '127.0.0.1';
  let mode: ServerMode = 'normal';
  let port = options.port ?? 0;
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  const source = withGarbage(options.source, () => mode);

  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    let pending = Buffer.alloc(0);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= MBAP_BYTES) {
        const length = pending.readUInt16BE(4);
        if (pending.readUInt16BE(2) !== 0 || length < 2 || length > 254) {
          socket.destroy(); // not Modbus: a real device drops the connection
          return;
        }
        if (pending.length < 6 + length) break;
        const frame = pending.subarray(0, 6 + length);
        pending = pending.subarray(6 + length);
        const reply = respond(frame);
        if (reply !== undefined) socket.write(reply);
      }
    });
  };

  const respond = (frame: Buffer): Buffer | undefined => {
    if (mode === 'silent') return undefined;
    const unit = frame[6]!;
    const request = frame.subarray(MBAP_BYTES);
    const pdu =
      unit === unitId || unit === 0 || unit === 255
        ? answerPdu(request, source)
        : exceptionPdu(request[0] ?? 0, GATEWAY_TARGET_FAILED);
    const header = Buffer.alloc(MBAP_BYTES);
    header.writeUInt16BE(frame.readUInt16BE(0), 0);
    header.writeUInt16BE(0, 2);
    header.writeUInt16BE(pdu.length + 1, 4);
    header[6] = unit;
    return Buffer.concat([header, pdu]);
  };

  return {
    get port() {
      return port;
    },
    async start() {
      if (server !== undefined) return port;
      const next = net.createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen({ host, port }, () => {
          next.off('error', reject);
          resolve();
        });
      });
      server = next;
      port = (next.address() as net.AddressInfo).port;
      return port;
    },
    async stop() {
      const current = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (current !== undefined) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    setMode(next) {
      mode = next;
    },
  };
}
