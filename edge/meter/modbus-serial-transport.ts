/** The ModbusTransport adapter over `modbus-serial`: Modbus TCP or Modbus RTU on a serial port. */
import ModbusRTU from 'modbus-serial';
import type { MeterConnection } from './meter-config';
import type { ModbusFault, ModbusResult, ModbusTransport } from './modbus-transport';
import type { FunctionCode } from './register-map';
import type { SharedLink } from './serial-port-share';

/**
 * Creates a transport for `connection`; every request gives up after `timeoutMs`. Its link can be shared (a test read
 * of the same serial port): requests run one at a time, each with its own unit id, as on an RS-485 bus.
 */
export function createModbusSerialTransport(
  connection: MeterConnection,
  timeoutMs: number,
): ModbusTransport & SharedLink {
  let client: ModbusRTU | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const connect = async (next: ModbusRTU): Promise<void> => {
    if (connection.transport === 'tcp') {
      await next.connectTCP(connection.host, { port: connection.port, timeout: timeoutMs });
    } else {
      const { baudRate, parity, dataBits, stopBits } = connection;
      await next.connectRTUBuffered(connection.path, { baudRate, parity, dataBits, stopBits });
    }
    next.setID(connection.unitId);
    next.setTimeout(timeoutMs);
  };

  const close = async (): Promise<void> => {
    const current = client;
    client = undefined;
    if (current !== undefined) await closeClient(current, timeoutMs);
  };

  return {
    get isOpen() {
      return client?.isOpen === true;
    },
    async open() {
      await close();
      const next = new ModbusRTU();
      // A link error after open (reset, unplugged adapter) must not become an uncaught 'error' event.
      next.on('error', () => undefined);
      const connecting = connect(next);
      const result = await withDeadline(connecting, timeoutMs * 2, 'connect');
      if (result.ok) client = next;
      // A connect that finishes after its deadline must not leave a socket or port behind.
      else
        void connecting.then(
          () => closeClient(next, timeoutMs),
          () => closeClient(next, timeoutMs),
        );
      return result;
    },
    read(functionCode: FunctionCode, address: number, count: number) {
      return this.readAs(connection.unitId, functionCode, address, count);
    },
    readAs(unitId: number, functionCode: FunctionCode, address: number, count: number) {
      const run = async (): Promise<ModbusResult<readonly number[]>> => {
        const current = client;
        if (current === undefined || !current.isOpen)
          return { ok: false, fault: { kind: 'closed', message: 'link is not open' } };
        current.setID(unitId);
        const request =
          functionCode === 3
            ? current.readHoldingRegisters(address, count)
            : current.readInputRegisters(address, count);
        // modbus-serial has its own timeout; ours is the backstop should a request never settle.
        const result = await withDeadline(request, timeoutMs + 100, `read ${address}+${count}`);
        return result.ok ? { ok: true, value: result.value.data } : result;
      };
      const done = queue.then(run);
      queue = done.catch(() => undefined);
      return done;
    },
    close,
  };
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<ModbusResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ModbusResult<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, fault: { kind: 'timeout', message: `${what}: no answer within ${ms} ms` } }),
      ms,
    );
  });
  const settled = work.then(
    (value): ModbusResult<T> => ({ ok: true, value }),
    (error: unknown): ModbusResult<T> => ({ ok: false, fault: faultOf(error) }),
  );
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Classifies a modbus-serial error; only this adapter knows the library's error shapes. */
export function faultOf(error: unknown): ModbusFault {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    modbusCode?: unknown;
    errno?: unknown;
    code?: unknown;
  };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.modbusCode === 'number') return { kind: 'exception', message, exceptionCode: e.modbusCode };
  if (e.errno === 'ETIMEDOUT' || message === 'Timed out')
    return { kind: 'timeout', message: 'no answer within the request timeout' };
  if (message.startsWith('CRC error') || message.startsWith('Data length error')) return { kind: 'crc', message };
  if (e.code === 'ECONNREFUSED') return { kind: 'closed', message, refused: true };
  if (message === 'Port Not Open' || e.code === 'ECONNRESET' || e.code === 'EPIPE') return { kind: 'closed', message };
  return { kind: 'io', message };
}

/** Closes a client; close() never calls back when the port is already gone, so wait at most `ms`. */
async function closeClient(client: ModbusRTU, ms: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    try {
      client.close(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
