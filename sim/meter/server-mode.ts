/** How a simulated meter misbehaves, for tests. */
import type { RegisterSource } from './modbus-pdu';

/**
 * `normal`: answers as the meter does; `silent`: reads requests and never answers (a hung meter or a cut RS-485 pair);
 * `garbage`: answers every register with 0xFFFF (NaN floats, -1 integers); `bad-crc` (RTU only): answers with a corrupt checksum.
 */
export const SERVER_MODES = ['normal', 'silent', 'garbage', 'bad-crc'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

/** Wraps `source` so that it answers garbage while `mode()` is `garbage`. */
export function withGarbage(source: RegisterSource, mode: () => ServerMode): RegisterSource {
  return (functionCode, address, count) => {
    const words = source(functionCode, address, count);
    return mode() === 'garbage' && !('exception' in words) ? words.map(() => 0xffff) : words;
  };
}
