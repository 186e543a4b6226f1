import { describe, expect, it } from 'vitest';
import { MqttPacketSizeLimit } from '../../../../cloud/local/mqtt-packet-size-limit';
import { remainingLength } from '../../../support/mqtt-remaining-length';

const LIMIT = 100;

/** A PUBLISH of `payloadBytes` on a topic of `topicBytes`, with a packet id when `qos` > 0. */
function publish(topicBytes: number, payloadBytes: number, qos = 1): Buffer {
  const variable = [
    topicBytes >> 8,
    topicBytes & 0xff,
    ...Array<number>(topicBytes).fill(0x61),
    ...(qos > 0 ? [0, 1] : []),
  ];
  return Buffer.from([
    0x30 | (qos << 1),
    ...remainingLength(variable.length + payloadBytes),
    ...variable,
    ...Array<number>(payloadBytes).fill(0x20),
  ]);
}

const packet = (firstByte: number, bodyBytes: number) =>
  Buffer.from([firstByte, ...remainingLength(bodyBytes), ...Array<number>(bodyBytes).fill(0)]);

/** Pushes `bytes` in chunks of `size`; the first reason given. */
function judge(bytes: Buffer, size: number): string | undefined {
  const limit = new MqttPacketSizeLimit(LIMIT);
  for (let at = 0; at < bytes.length; at += size) {
    const reason = limit.push(bytes.subarray(at, at + size));
    if (reason !== undefined) return reason;
  }
  return undefined;
}

describe('MqttPacketSizeLimit', () => {
  const chunkSizes = [1, 2, 3, 7, 64, 10_000];

  it.each(chunkSizes)('should let a stream of packets within the limit through, in chunks of %i bytes', (size) => {
    const stream = Buffer.concat([
      packet(0x10, 40), // CONNECT
      publish(20, LIMIT), // payload exactly at the limit, QoS 1
      publish(200, LIMIT, 0), // a long topic does not count against the payload
      packet(0xc0, 0), // PINGREQ
      packet(0x82, LIMIT), // SUBSCRIBE at the limit
      publish(0, 0, 0),
    ]);

    expect(judge(stream, size)).toBeUndefined();
  });

  it.each(chunkSizes)(
    'should refuse a PUBLISH one byte over the limit after good packets, in chunks of %i bytes',
    (size) => {
      const stream = Buffer.concat([packet(0x10, 40), publish(20, LIMIT), publish(20, LIMIT + 1)]);

      expect(judge(stream, size)).toBe(`PUBLISH payload of ${LIMIT + 1} bytes is larger than ${LIMIT}`);
    },
  );

  it('should refuse any other packet over the limit from its fixed header alone, and a broken length', () => {
    expect(new MqttPacketSizeLimit(LIMIT).push(Buffer.from([0x10, ...remainingLength(200_000_000)]))).toBe(
      `packet of type 1 and 200000000 bytes is larger than ${LIMIT}`,
    );
    expect(new MqttPacketSizeLimit(LIMIT).push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toBe(
      'malformed remaining length',
    );
  });
});
