/**
 * Boundary fuzz: the grid meter driver against a Modbus TCP device that answers every request with generated bad
 * replies (exception codes, short and truncated frames, wrong ids and lengths, NaN and infinite floats, absurd values,
 * garbage, dropped connections). The agent must stay up, turn every such read into an invalid sample with a reason
 * (never a value it cannot trust), and read the meter again once it answers properly.
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createGridMeter, type GridMeter } from '../../../edge/meter/grid-meter';
import type { GridMeterSample } from '../../../edge/meter/grid-meter-sample';
import { MeterConfigSchema } from '../../../edge/meter/meter-config';
import { createModbusSerialTransport } from '../../../edge/meter/modbus-serial-transport';
import { meterRegisterImage } from '../../../sim/meter/meter-register-image';
import { answerPdu } from '../../../sim/meter/modbus-pdu';
import { englishMessage } from '../../../shared/server-messages';
import { nextSample } from './meter-test-kit';

const MBAP_BYTES = 7;
/** Bad replies per run: each poll of the meter takes one or a few. */
const BAD_REPLIES = 120;

/** What the device does with one request: a reply built from the request's header and the correct PDU, or hang up. */
type BadReply =
  | { readonly kind: 'close' }
  | { readonly kind: 'bytes'; readonly build: (header: Buffer, goodPdu: Buffer) => Buffer };

const mbap = (transactionId: number, length: number, unit: number) => {
  const header = Buffer.alloc(MBAP_BYTES);
  header.writeUInt16BE(transactionId & 0xffff, 0);
  header.writeUInt16BE(0, 2);
  header.writeUInt16BE(length & 0xffff, 4);
  header[6] = unit & 0xff;
  return header;
};
const framed = (header: Buffer, pdu: Buffer) =>
  Buffer.concat([mbap(header.readUInt16BE(0), pdu.length + 1, header[6]!), pdu]);

/** Registers that decode to NaN, infinities or absurd values, in place of the meter's words. */
const badWords = fc.constantFrom(0x7fc0, 0x7f80, 0xff80, 0xffff, 0x7f7f);

const badReply: fc.Arbitrary<BadReply> = fc.oneof(
  fc.constant<BadReply>({ kind: 'close' }),
  fc.integer({ min: 1, max: 255 }).map<BadReply>((code) => ({
    kind: 'bytes',
    build: (h, good) => framed(h, Buffer.from([(good[0]! | 0x80) & 0xff, code])),
  })),
  fc.integer({ min: 0, max: 40 }).map<BadReply>((cut) => ({
    kind: 'bytes',
    build: (h, good) => framed(h, good).subarray(0, Math.min(cut, MBAP_BYTES + good.length - 1)),
  })),
  fc.integer({ min: 1, max: 0xffff }).map<BadReply>((delta) => ({
    kind: 'bytes',
    build: (h, good) => framed(mbap(h.readUInt16BE(0) + delta, 0, h[6]!), good),
  })),
  fc
    .integer({ min: 2, max: 254 })
    .map<BadReply>((unit) => ({ kind: 'bytes', build: (h, good) => framed(mbap(h.readUInt16BE(0), 0, unit), good) })),
  fc.integer({ min: 0, max: 0xffff }).map<BadReply>((length) => ({
    kind: 'bytes',
    build: (h, good) => Buffer.concat([mbap(h.readUInt16BE(0), length, h[6]!), good]),
  })),
  fc.integer({ min: 0, max: 255 }).map<BadReply>((count) => ({
    kind: 'bytes',
    build: (h, good) => framed(h, Buffer.concat([good.subarray(0, 1), Buffer.from([count]), good.subarray(2)])),
  })),
  fc.integer({ min: 0, max: 255 }).map<BadReply>((code) => ({
    kind: 'bytes',
    build: (h, good) => framed(h, Buffer.concat([Buffer.from([code]), good.subarray(1)])),
  })),
  badWords.map<BadReply>((word) => ({
    kind: 'bytes',
    build: (h, good) => {
      const pdu = Buffer.from(good);
      for (let at = 2; at + 1 < pdu.length; at += 2) pdu.writeUInt16BE(word, at);
      return framed(h, pdu);
    },
  })),
  fc
    .uint8Array({ minLength: 1, maxLength: 300 })
    .map<BadReply>((bytes) => ({ kind: 'bytes', build: () => Buffer.from(bytes) })),
);

/** A Modbus TCP device that answers with `replies` in turn, then as the meter should. */
async function misbehavingDevice(
  replies: readonly BadReply[],
): Promise<{ port: number; left: () => number; stop: () => Promise<void> }> {
  const source = meterRegisterImage('eastron-sdm630', () => ({
    volts: [230, 230, 230],
    amps: [10, 11, 12],
    importWh: 1_000_000,
  }));
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= MBAP_BYTES && pending.length >= 6 + pending.readUInt16BE(4)) {
        const frame = pending.subarray(0, 6 + pending.readUInt16BE(4));
        pending = pending.subarray(frame.length);
        const header = frame.subarray(0, MBAP_BYTES);
        const good = answerPdu(frame.subarray(MBAP_BYTES), source);
        const reply = replies[next];
        if (reply === undefined) {
          socket.write(framed(header, good));
          continue;
        }
        next++;
        if (reply.kind === 'close') {
          socket.destroy();
          return;
        }
        socket.write(reply.build(header, good));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    left: () => replies.length - next,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('grid meter boundary fuzz (Modbus TCP)', () => {
  let meter: GridMeter | undefined;
  let device: Awaited<ReturnType<typeof misbehavingDevice>> | undefined;
  afterEach(async () => {
    await meter?.stop();
    await device?.stop();
  });

  it(`should turn ${BAD_REPLIES} generated bad replies into invalid samples with a reason, stay up and read again after`, async () => {
    // Arrange
    const replies = fc.sample(badReply, { numRuns: BAD_REPLIES, seed: 11 });
    device = await misbehavingDevice(replies);
    const config = MeterConfigSchema.parse({
      meterId: 'grid',
      model: 'eastron-sdm630',
      connection: { transport: 'tcp', host: '127.0.0.1', port: device.port },
      poll: { intervalMs: 100, timeoutMs: 50, retries: 0, backoffInitialMs: 10, backoffMaxMs: 20 },
    });
    meter = createGridMeter(config, {
      transport: createModbusSerialTransport(config.connection, config.poll.timeoutMs),
    });
    const samples: GridMeterSample[] = [];
    meter.subscribe((sample) => samples.push(sample));
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);

    // Act
    meter.start();
    try {
      await nextSample(meter, (s) => s.valid && device!.left() === 0, 60_000);
    } finally {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }

    // Assert: every sample while the device misbehaved is invalid with a reason, or valid with the meter's true values
    expect(crashes).toEqual([]);
    for (const sample of samples) {
      if (!sample.valid) {
        expect(englishMessage(sample.fault).length).toBeGreaterThan(0);
        continue;
      }
      expect(sample.values.amps.map((a) => Math.round(a * 100) / 100)).toEqual([10, 11, 12]);
    }
    expect(samples.filter((s) => !s.valid).length).toBeGreaterThan(BAD_REPLIES / 10);
  }, 90_000);
});
