import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGridMeter, type GridMeter } from '../../../edge/meter/grid-meter';
import { MeterConfigSchema } from '../../../edge/meter/meter-config';
import { createModbusSerialTransport } from '../../../edge/meter/modbus-serial-transport';
import { meterRegisterImage, type SimulatedMeterValues } from '../../../sim/meter/meter-register-image';
import { createModbusRtuServer, type ModbusRtuServer } from '../../../sim/meter/modbus-rtu-server';
import { nextSample, startPtyPair, type PtyPair } from './meter-test-kit';

describe('grid meter over Modbus RTU on a socat pseudo-serial pair', () => {
  const values: SimulatedMeterValues = { volts: [230, 231, 229], amps: [16, 0, 5.5], importWh: 98_700 };
  let pty: PtyPair;
  let server: ModbusRtuServer;
  let meter: GridMeter;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
    pty = await startPtyPair();
    server = createModbusRtuServer({
      path: pty.meterPath,
      source: meterRegisterImage('carlo-gavazzi-em24', () => values),
      unitId: 7,
    });
    await server.start();
    const config = MeterConfigSchema.parse({
      meterId: 'grid',
      model: 'carlo-gavazzi-em24',
      connection: { transport: 'rtu', path: pty.masterPath, baudRate: 19200, parity: 'even', unitId: 7 },
      poll: { intervalMs: 150, timeoutMs: 120, retries: 1, backoffInitialMs: 100, backoffMaxMs: 400 },
    });
    meter = createGridMeter(config, {
      transport: createModbusSerialTransport(config.connection, config.poll.timeoutMs),
    });
    meter.start();
  });
  afterEach(async () => {
    await meter?.stop();
    await server?.stop();
    await pty?.close();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('should read the EM24 map over RTU', async () => {
    const sample = await nextSample(meter, (s) => s.valid);

    if (!sample.valid) throw new Error('expected a valid sample');
    expect(sample.values.amps).toEqual([16, 0, 5.5]);
    expect(sample.values.volts.map((v) => Math.round(v * 10) / 10)).toEqual([230, 231, 229]);
    expect(sample.values.importWh).toBe(98_700);
  });

  it('should make CRC errors invalid readings and recover when frames are clean again', async () => {
    await nextSample(meter, (s) => s.valid);

    server.setMode('bad-crc');
    const corrupt = await nextSample(meter, (s) => !s.valid);
    server.setMode('normal');
    await nextSample(meter, (s) => s.valid);

    expect(corrupt.valid === false && corrupt.fault.reason).toBe('meterFault.corrupt');
  });

  it('should turn invalid when the meter dies mid-run and recover when it comes back', async () => {
    await nextSample(meter, (s) => s.valid);

    await server.stop();
    const dead = await nextSample(meter, (s) => !s.valid, 2000);
    await server.start();
    await nextSample(meter, (s) => s.valid, 5000);

    expect(dead.valid === false && dead.fault.reason).toBe('meterFault.timeout');
  });
});
