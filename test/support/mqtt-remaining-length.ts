/** MQTT's variable-length encoding of a packet's remaining length (MQTT 3.1.1 §2.2.3), for tests that frame packets by hand. */
export function remainingLength(length: number): number[] {
  const bytes: number[] = [];
  let rest = length;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    bytes.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return bytes;
}
