/** The port between the meter driver and a Modbus client library: open, read registers, close. Never rejects. */
import type { FunctionCode } from './register-map';

/**
 * Why a Modbus operation failed. `timeout`: no answer in time; `exception`: the meter answered with a Modbus exception;
 * `crc`: a corrupt frame; `closed`: the link is down; `io`: anything else from the link.
 */
export type ModbusFaultKind = 'timeout' | 'exception' | 'crc' | 'closed' | 'io';

export interface ModbusFault {
  readonly kind: ModbusFaultKind;
  readonly message: string;
  /** The Modbus exception code, on an `exception`. */
  readonly exceptionCode?: number;
  /** The meter (or gateway) refused the connection: nothing listens there. */
  readonly refused?: true;
}

export type ModbusResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly fault: ModbusFault };

export interface ModbusTransport {
  /** Opens the link (TCP connection or serial port); resolves with a fault instead of throwing. */
  open(): Promise<ModbusResult<void>>;
  /** Reads `count` registers from `address` with function code 03 or 04. */
  read(functionCode: FunctionCode, address: number, count: number): Promise<ModbusResult<readonly number[]>>;
  /** Closes the link; safe to call when already closed. */
  close(): Promise<void>;
  readonly isOpen: boolean;
}

/** A fault means the link must be reopened (as opposed to a bad answer on a working link). */
export function needsReconnect(fault: ModbusFault): boolean {
  return fault.kind === 'closed' || fault.kind === 'io' || fault.kind === 'timeout';
}
