/**
 * AWS IoT Core's message size limit on the local broker, judged while a connection's bytes are read: a PUBLISH whose
 * payload is over `maxPayloadBytes`, or any other packet whose remaining length is, is refused as soon as its fixed
 * header (and, for a PUBLISH, its topic length) has arrived. aedes itself buffers a packet whole before anything looks
 * at it, up to MQTT's 256 MB, and the CONNECT comes before any password: one socket could hold that much memory.
 */

const PUBLISH = 3;
/** MQTT encodes a remaining length in at most four bytes. */
const MAX_LENGTH_BYTES = 4;

type State =
  | { readonly kind: 'header' }
  | { readonly kind: 'length'; readonly type: number; readonly qos: number; value: number; bytes: number }
  | { readonly kind: 'topicLength'; readonly qos: number; readonly remaining: number; high?: number }
  | { readonly kind: 'body'; left: number };

/** Follows the MQTT framing of one connection's bytes (3.1.1 and 5 share it). */
export class MqttPacketSizeLimit {
  private state: State = { kind: 'header' };

  constructor(private readonly maxPayloadBytes: number) {}

  /** Takes the next bytes of the connection; a reason once a packet is over the limit (or its framing is broken). */
  push(chunk: Buffer): string | undefined {
    let at = 0;
    while (at < chunk.length) {
      const state = this.state;
      if (state.kind === 'body') {
        const taken = Math.min(state.left, chunk.length - at);
        state.left -= taken;
        at += taken;
        if (state.left === 0) this.state = { kind: 'header' };
        continue;
      }
      const byte = chunk.readUInt8(at++);
      if (state.kind === 'header') {
        this.state = { kind: 'length', type: byte >> 4, qos: (byte >> 1) & 3, value: 0, bytes: 0 };
      } else if (state.kind === 'length') {
        state.value += (byte & 0x7f) * 128 ** state.bytes;
        state.bytes++;
        if (byte & 0x80) {
          if (state.bytes === MAX_LENGTH_BYTES) return 'malformed remaining length';
          continue;
        }
        const refusal = this.packetStarts(state.type, state.qos, state.value);
        if (refusal !== undefined) return refusal;
      } else if (state.high === undefined) {
        state.high = byte;
      } else {
        const topicBytes = state.high * 256 + byte;
        const payloadBytes = state.remaining - 2 - topicBytes - (state.qos > 0 ? 2 : 0);
        if (payloadBytes > this.maxPayloadBytes)
          return `PUBLISH payload of ${payloadBytes} bytes is larger than ${this.maxPayloadBytes}`;
        this.follow(state.remaining - 2);
      }
    }
    return undefined;
  }

  private packetStarts(type: number, qos: number, remaining: number): string | undefined {
    if (type === PUBLISH && remaining >= 2) {
      this.state = { kind: 'topicLength', qos, remaining };
      return undefined;
    }
    if (remaining > this.maxPayloadBytes)
      return `packet of type ${type} and ${remaining} bytes is larger than ${this.maxPayloadBytes}`;
    this.follow(remaining);
    return undefined;
  }

  private follow(bodyBytes: number): void {
    this.state = bodyBytes > 0 ? { kind: 'body', left: bodyBytes } : { kind: 'header' };
  }
}
