/** Answers Modbus read requests (FC03/FC04) at the PDU level, as a meter does; shared by the TCP and RTU servers. */

/** Modbus exception codes a meter answers with. */
export const ILLEGAL_FUNCTION = 0x01;
export const ILLEGAL_DATA_ADDRESS = 0x02;
export const ILLEGAL_DATA_VALUE = 0x03;

/** The registers a simulated device exposes: words, or the exception code to answer with. */
export type RegisterSource = (
  functionCode: 3 | 4,
  address: number,
  count: number,
) => readonly number[] | { readonly exception: number };

/** Builds the response PDU (function code + data) for a request PDU. */
export function answerPdu(request: Buffer, source: RegisterSource): Buffer {
  const functionCode = request[0] ?? 0;
  if (functionCode !== 3 && functionCode !== 4) return exceptionPdu(functionCode, ILLEGAL_FUNCTION);
  if (request.length !== 5) return exceptionPdu(functionCode, ILLEGAL_DATA_VALUE);
  const address = request.readUInt16BE(1);
  const count = request.readUInt16BE(3);
  if (count < 1 || count > 125) return exceptionPdu(functionCode, ILLEGAL_DATA_VALUE);
  const words = source(functionCode, address, count);
  if ('exception' in words) return exceptionPdu(functionCode, words.exception);
  const response = Buffer.alloc(2 + count * 2);
  response[0] = functionCode;
  response[1] = count * 2;
  for (let i = 0; i < count; i++) response.writeUInt16BE((words[i] ?? 0) & 0xffff, 2 + i * 2);
  return response;
}

/** An exception response: the function code with the high bit set, then the exception code. */
export function exceptionPdu(functionCode: number, exception: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, exception]);
}

/** Modbus RTU CRC-16 (polynomial 0xA001 reflected, initial 0xFFFF); sent low byte first. */
export function crc16(frame: Buffer): number {
  let crc = 0xffff;
  for (const byte of frame) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}
