import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGridMeter, type GridMeter } from '../../../edge/meter/grid-meter';
import { toMeterReading } from '../../../edge/meter/grid-meter-sample';
import { MeterConfigSchema, type MeterConfig } from '../../../edge/meter/meter-config';
import { createModbusSerialTransport } from '../../../edge/meter/modbus-serial-transport';
import {
  meterRegisterImage,
  type SimulatedMeterModel,
  type SimulatedMeterValues,
} from '../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import { englishMessage } from '../../../shared/server-messages';
import { restartPort } from '../../support/restart-port';
import { nextSample } from './meter-test-kit';

const FAST_POLL = { intervalMs: 100, timeoutMs: 100, retries: 1, backoffInitialMs: 100, backoffMaxMs: 400 };

describe('grid meter over Modbus TCP against the simulator', () => {
  let values: SimulatedMeterValues;
  let server: ModbusTcpServer | undefined;
  let meter: GridMeter | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(() => {
    values = { volts: [230, 231, 229], amps: [10, 12.5, 8], importWh: 1_234_500 };
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await meter?.stop();
    await server?.stop();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  async function startBoth(model: SimulatedMeterModel): Promise<MeterConfig> {
    // One test stops the meter and starts it again on the same port.
    server = createModbusTcpServer({ source: meterRegisterImage(model, () => values), port: await restartPort() });
    const port = await server.start();
    const config = MeterConfigSchema.parse({
      meterId: 'grid',
      model,
      connection: { transport: 'tcp', host: '127.0.0.1', port },
      poll: FAST_POLL,
    });
    meter = createGridMeter(config, {
      transport: createModbusSerialTransport(config.connection, config.poll.timeoutMs),
    });
    meter.start();
    return config;
  }

  it.each<SimulatedMeterModel>(['eastron-sdm630', 'carlo-gavazzi-em24'])(
    'should read the %s map with the right values',
    async (model) => {
      await startBoth(model);

      const sample = await nextSample(meter!, (s) => s.valid);

      if (!sample.valid) throw new Error('expected a valid sample');
      expect(sample.values.volts.map((v) => Math.round(v * 10) / 10)).toEqual([230, 231, 229]);
      expect(sample.values.amps.map((a) => Math.round(a * 1000) / 1000)).toEqual([10, 12.5, 8]);
      expect(sample.values.totalWatts).toBeCloseTo(230 * 10 + 231 * 12.5 + 229 * 8, 0);
      expect(sample.values.importWh).toBeCloseTo(1_234_500, -2);
    },
  );

  it.each<SimulatedMeterModel>(['eastron-sdm630', 'carlo-gavazzi-em24'])(
    'should read a %s that exports (PV surplus) as negative power and no import current',
    async (model) => {
      values = { ...values, amps: [20, 20, 20], powerFactor: -1 };
      await startBoth(model);

      const sample = await nextSample(meter!, (s) => s.valid);

      if (!sample.valid) throw new Error('expected a valid sample');
      expect(sample.values.watts.map(Math.round)).toEqual([-4600, -4620, -4580]);
      expect(sample.values.totalWatts).toBeCloseTo(-13_800, 0);
      expect(toMeterReading(sample).amps).toEqual([0, 0, 0]);
    },
  );

  it('should follow the load as the supplied function changes', async () => {
    await startBoth('eastron-sdm630');
    await nextSample(meter!, (s) => s.valid);

    values = { ...values, amps: [40, 12.5, 8] };

    const sample = await nextSample(meter!, (s) => s.valid && s.values.amps[0] === 40);
    expect(sample.at).toBeGreaterThan(0);
  });

  it('should turn invalid when the meter dies mid-run, back off, and recover when it returns', async () => {
    await startBoth('eastron-sdm630');
    await nextSample(meter!, (s) => s.valid);

    await server!.stop();
    const lost = await nextSample(meter!, (s) => !s.valid, 2000);
    const waiting = await nextSample(
      meter!,
      (s) => !s.valid && [0.2, 0.4].includes(Number(s.fault.params?.['seconds'])),
      3000,
    );
    await server!.start();
    const back = await nextSample(meter!, (s) => s.valid, 3000);

    expect(lost.valid).toBe(false);
    expect(waiting.valid).toBe(false);
    expect(back.at).toBeGreaterThan(waiting.at);
  });

  it('should turn invalid within the request timeout when the meter hangs, and recover', async () => {
    await startBoth('eastron-sdm630');
    await nextSample(meter!, (s) => s.valid);

    server!.setMode('silent');
    const hung = await nextSample(meter!, (s) => !s.valid, 2000);
    server!.setMode('normal');
    await nextSample(meter!, (s) => s.valid, 3000);

    expect(hung.valid === false && hung.fault.reason).toBe('meterFault.timeout');
  });

  it.each<[string, SimulatedMeterModel, RegExp]>([
    ['NaN floats', 'eastron-sdm630', /L1 volts is NaN/],
    ['all-ones integers', 'carlo-gavazzi-em24', /L1 volts -0\.1 outside/],
  ])('should make garbage registers (%s) invalid readings', async (_name, model, reason) => {
    await startBoth(model);
    await nextSample(meter!, (s) => s.valid);

    server!.setMode('garbage');
    const garbage = await nextSample(meter!, (s) => !s.valid);

    expect(garbage.valid === false && englishMessage(garbage.fault)).toMatch(reason);
  });

  it('should make absurd values from the meter invalid readings', async () => {
    await startBoth('eastron-sdm630');
    values = { ...values, amps: [10, 1e9, 8] };

    const absurd = await nextSample(meter!, (s) => !s.valid);

    expect(absurd.valid === false && englishMessage(absurd.fault)).toMatch(/L2 amps .* above 2000/);
  });

  it('should poll several meters of one site independently, each sample carrying its meterId', async () => {
    const sub = createModbusTcpServer({
      source: meterRegisterImage('carlo-gavazzi-em24', () => ({ ...values, amps: [1, 2, 3] })),
      unitId: 5,
    });
    const subPort = await sub.start();
    await startBoth('eastron-sdm630');
    const subConfig = MeterConfigSchema.parse({
      meterId: 'garage',
      model: 'carlo-gavazzi-em24',
      connection: { transport: 'tcp', host: '127.0.0.1', port: subPort, unitId: 5 },
      poll: FAST_POLL,
    });
    const subMeter = createGridMeter(subConfig, {
      transport: createModbusSerialTransport(subConfig.connection, subConfig.poll.timeoutMs),
    });
    subMeter.start();
    try {
      const [grid, garage] = await Promise.all([
        nextSample(meter!, (s) => s.valid),
        nextSample(subMeter, (s) => s.valid),
      ]);

      expect([grid.meterId, garage.meterId]).toEqual(['grid', 'garage']);
      expect(garage.valid && garage.values.amps).toEqual([1, 2, 3]);
    } finally {
      await subMeter.stop();
      await sub.stop();
    }
  });

  it('should report a Modbus exception for an address the meter does not have', async () => {
    const model = 'carlo-gavazzi-em24';
    server = createModbusTcpServer({ source: meterRegisterImage(model, () => values) });
    const port = await server.start();
    const customMap = {
      functionCode: 4,
      wordOrder: 'low-first',
      fields: {
        volts: [0, 2, 4].map((address) => ({ address, type: 'int32', scale: 0.1 })),
        amps: [12, 14, 16].map((address) => ({ address, type: 'int32', scale: 0.001 })),
        watts: [18, 20, 22].map((address) => ({ address, type: 'int32', scale: 0.1 })),
        totalWatts: { address: 40, type: 'int32', scale: 0.1 },
        importWh: { address: 0x1000, type: 'int32', scale: 100 },
      },
    };
    const config = MeterConfigSchema.parse({
      meterId: 'sub',
      model: 'custom',
      customMap,
      connection: { transport: 'tcp', host: '127.0.0.1', port },
      poll: FAST_POLL,
    });
    meter = createGridMeter(config, {
      transport: createModbusSerialTransport(config.connection, config.poll.timeoutMs),
    });
    meter.start();

    const sample = await nextSample(meter, (s) => !s.valid);

    expect(sample.valid === false && sample.fault).toEqual({
      reason: 'meterFault.exception',
      params: { count: 2, address: 4096, code: 2 },
    });
  });
});
