/** A Modbus RTU server on a serial device (a real port or one end of a socat pseudo-terminal pair), for simulated meters. */
import fs from 'node:fs';
import tty from 'node:tty';
import { answerPdu, crc16, type RegisterSource } from './modbus-pdu';
import { withGarbage, type ServerMode } from './server-mode';

export interface ModbusRtuServerOptions {
  /** The serial device, e.g. the `link=` path of a socat pty. */
  readonly path: string;
  readonly source: RegisterSource;
  readonly unitId?: number;
  /** Silence that ends a frame; Modbus RTU says 3.5 characters, a few ms at common baud rates. */
  readonly frameGapMs?: number;
}

export interface ModbusRtuServer {
  start(): Promise<void>;
  /** Closes the device: the meter stops answering. */
  stop(): Promise<void>;
  setMode(mode: ServerMode): void;
}

export function createModbusRtuServer(options: ModbusRtuServerOptions): ModbusRtuServer {
  const unitId = options.unitId ?? 1;
  const gapMs = options.frameGapMs ?? 5;
  let mode: ServerMode = 'normal';
  let stream: tty.ReadStream | undefined;
  let pending = Buffer.alloc(0);
  let gapTimer: NodeJS.Timeout | undefined;
  const source = withGarbage(options.source, () => mode);

  const onFrame = (frame: Buffer): void => {
    // Frames that are too short, corrupt or for another unit are ignored, as on a shared RS-485 bus.
    if (frame.length < 4 || frame[0] !== unitId || mode === 'silent') return;
    const body = frame.subarray(0, -2);
    if (frame.readUInt16LE(frame.length - 2) !== crc16(body)) return;
    const reply = Buffer.concat([Buffer.from([unitId]), answerPdu(body.subarray(1), source), Buffer.alloc(2)]);
    const crc = crc16(reply.subarray(0, -2));
    reply.writeUInt16LE(mode === 'bad-crc' ? crc ^ 0xffff : crc, reply.length - 2);
    stream?.write(reply);
  };

  const onData = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    clearTimeout(gapTimer);
    gapTimer = setTimeout(() => {
      const frame = pending;
      pending = Buffer.alloc(0);
      onFrame(frame);
    }, gapMs);
  };

  return {
    async start() {
      if (stream !== undefined) return;
      const fd = await new Promise<number>((resolve, reject) =>
        fs.open(options.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK, (error, opened) =>
          error ? reject(error) : resolve(opened),
        ),
      );
      // tty.ReadStream is a non-blocking duplex over the device (it owns and closes the fd), so closing never waits on a read.
      const next = new tty.ReadStream(fd);
      next.on('data', onData);
      next.on('error', () => next.destroy());
      stream = next;
    },
    async stop() {
      clearTimeout(gapTimer);
      pending = Buffer.alloc(0);
      const current = stream;
      stream = undefined;
      if (current === undefined || current.destroyed) return;
      await new Promise<void>((resolve) => {
        current.once('close', () => resolve());
        current.destroy();
      });
    },
    setMode(next) {
      mode = next;
    },
  };
}
