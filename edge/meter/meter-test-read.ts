/**
 * One read of a meter with settings that are not in force yet (the dashboard's "test read"): open the link, read the
 * map's registers once, decode and judge them, close. No retries and no back-off: the installer sees the first fault.
 * A serial port a meter poller holds is not opened again: the read goes through the poller's link
 * (edge/meter/serial-port-share.ts).
 */
import type { MeterTestReadAnswer } from '../../shared/dashboard/meter-test-read-answer';
import { englishMessage } from '../../shared/server-messages';
import { registerMapOf, type MeterConfig } from './meter-config';
import { createModbusSerialTransport } from './modbus-serial-transport';
import type { ModbusTransport } from './modbus-transport';
import { planReads } from './read-plan';
import { decodeMeterValues } from './register-decoder';
import { implausibility } from './sample-validation';
import { borrowSerialLink, type SerialPortHolder } from './serial-port-share';

/** The longest one request of a test read may take, whatever the settings say: the page waits for the answer. */
export const TEST_READ_MAX_TIMEOUT_MS = 3000;

/**
 * Reads `config`'s meter once through modbus-serial, each request bounded by `TEST_READ_MAX_TIMEOUT_MS`; through
 * `holder`'s link when a running poller holds its serial port (refused, 409, with other port settings).
 */
export function testReadMeter(config: MeterConfig, holder?: SerialPortHolder): Promise<MeterTestReadAnswer> {
  if (holder !== undefined && config.connection.transport === 'rtu')
    return readMeterOnce(config, borrowSerialLink(holder, config.connection));
  const timeoutMs = Math.min(config.poll.timeoutMs, TEST_READ_MAX_TIMEOUT_MS);
  return readMeterOnce(config, createModbusSerialTransport(config.connection, timeoutMs));
}

/** Reads the meter once over `transport`, and closes it. Never rejects. */
export async function readMeterOnce(config: MeterConfig, transport: ModbusTransport): Promise<MeterTestReadAnswer> {
  try {
    const opened = await transport.open();
    if (!opened.ok)
      return { ok: false, stage: 'connect', kind: opened.fault.kind, message: opened.fault.message.slice(0, 500) };
    const map = registerMapOf(config);
    const plan = planReads(map);
    const words: (readonly number[])[] = [];
    for (const block of plan) {
      const result = await transport.read(map.functionCode, block.address, block.count);
      if (!result.ok)
        return {
          ok: false,
          stage: 'read',
          kind: result.fault.kind,
          message: `${block.count} registers at ${block.address}: ${result.fault.message}`.slice(0, 500),
        };
      words.push(result.value);
    }
    const values = decodeMeterValues(map, plan, words);
    const implausible = implausibility(values, config.plausibility);
    const { volts, amps, watts, totalWatts, importWh } = values;
    return {
      ok: true,
      values: { volts: [...volts], amps: [...amps], watts: [...watts], totalWatts, importWh },
      ...(implausible !== undefined && { implausible: { message: englishMessage(implausible), ...implausible } }),
    };
  } catch (error) {
    return {
      ok: false,
      stage: 'decode',
      kind: 'undecodable',
      message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
    };
  } finally {
    await transport.close();
  }
}
