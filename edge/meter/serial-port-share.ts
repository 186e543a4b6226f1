/**
 * A serial port takes one client at a time: a test read of the port a meter poller already uses borrows the poller's
 * link instead of opening the port a second time (which fails on a locked port, or splits the answers between two
 * readers on one that is not). It must ask for the port settings in force: other settings would reconfigure the port
 * under the poller, so such a read is refused, saying which meter polls the port and how.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import type { MeterConnection } from './meter-config';
import type { ModbusResult, ModbusTransport } from './modbus-transport';
import type { FunctionCode } from './register-map';

/** A link other users of the same port read through, one request at a time with its owner's, as their own unit id. */
export interface SharedLink {
  readonly isOpen: boolean;
  readAs(
    unitId: number,
    functionCode: FunctionCode,
    address: number,
    count: number,
  ): Promise<ModbusResult<readonly number[]>>;
}

export type RtuConnection = Extract<MeterConnection, { transport: 'rtu' }>;

/** A running meter poller that holds a serial port. */
export interface SerialPortHolder {
  readonly meterId: string;
  readonly connection: RtuConnection;
  readonly link: SharedLink;
}

const PORT_SETTINGS = ['baudRate', 'parity', 'dataBits', 'stopBits'] as const;

/** The device a serial path names: a `/dev/serial/by-id/…` link and its tty are one port. */
export function serialDevice(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

const settings = (c: RtuConnection) =>
  `${c.baudRate} baud, parity ${c.parity}, ${c.dataBits} data bits, ${c.stopBits} stop bit${c.stopBits > 1 ? 's' : ''}`;

/**
 * A transport for a test read of `wanted` over `holder`'s link: opening and closing it leave the link to its holder.
 * Refused (409, at the settings that differ) when `wanted` asks for other port settings.
 */
export function borrowSerialLink(holder: SerialPortHolder, wanted: RtuConnection): ModbusTransport {
  const differing = PORT_SETTINGS.filter((key) => holder.connection[key] !== wanted[key]);
  if (differing.length > 0)
    throw new AppError(
      'resource.conflict',
      `serial port ${wanted.path} is polled by meter "${holder.meterId}" at ${settings(holder.connection)}: ` +
        `a test read at ${settings(wanted)} would reconfigure the port under it; test with the port settings in ` +
        'force, or save the new settings to switch the meter',
      differing.map((key) => ({
        path: `meter.connection.${key}`,
        message: `the port is in use by meter "${holder.meterId}" with ${String(holder.connection[key])}`,
      })),
    );
  const { link } = holder;
  return {
    get isOpen() {
      return link.isOpen;
    },
    open: () =>
      Promise.resolve(
        link.isOpen
          ? { ok: true, value: undefined }
          : {
              ok: false,
              fault: {
                kind: 'closed',
                message: `the port is polled by meter "${holder.meterId}", whose link is reconnecting: try again`,
              },
            },
      ),
    read: (functionCode, address, count) => link.readAs(wanted.unitId, functionCode, address, count),
    close: () => Promise.resolve(),
  };
}
