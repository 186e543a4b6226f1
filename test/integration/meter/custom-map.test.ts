// A "custom" register map written in the agent's configuration file, loaded as at start-up and read from a real Modbus TCP server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEdgeConfig } from '../../../edge/config/load-config';
import { createGridMeter, type GridMeter } from '../../../edge/meter/grid-meter';
import { createModbusSerialTransport } from '../../../edge/meter/modbus-serial-transport';
import { planReads } from '../../../edge/meter/read-plan';
import { registerMapOf } from '../../../edge/meter/meter-config';
import type { AppError } from '../../../shared/errors';
import { meterRegisterImage } from '../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import { nextSample } from './meter-test-kit';

const int32 = (address: number, scale: number) => ({ address, type: 'int32', scale });

/** An EM24 described by hand: holding registers (FC03) instead of the built-in map's input registers, contiguous reads only. */
const customMap = {
  functionCode: 3,
  wordOrder: 'low-first',
  maxGapRegisters: 0,
  fields: {
    volts: [int32(0x00, 0.1), int32(0x02, 0.1), int32(0x04, 0.1)],
    amps: [int32(0x0c, 0.001), int32(0x0e, 0.001), int32(0x10, 0.001)],
    watts: [int32(0x12, 0.1), int32(0x14, 0.1), int32(0x16, 0.1)],
    totalWatts: int32(0x28, 0.1),
    importWh: int32(0x3e, 100),
  },
};

function configFile(dir: string, port: number, map: unknown): string {
  const file = path.join(dir, 'agent.json');
  const config = {
    $schemaVersion: 1,
    site: {
      $schemaVersion: 1,
      id: 'custom-site',
      circuits: [{ id: 'main', parent: null, fuseAmps: 63, meterId: 'board' }],
      chargers: [],
    },
    policy: {
      $schemaVersion: 1,
      budget: { unit: 'A', min: 0, max: 63 },
      control: { mode: 'dynamic', safetyMarginAmps: 2 },
    },
    meters: [
      {
        meterId: 'board',
        role: 'grid',
        model: 'custom',
        customMap: map,
        connection: { transport: 'tcp', host: '127.0.0.1', port, unitId: 3 },
        poll: { intervalMs: 100, timeoutMs: 100, retries: 0, backoffInitialMs: 100, backoffMaxMs: 400 },
      },
    ],
    ocpp: { basicAuth: false },
    dataDir: 'data',
    logging: { level: 'silent' },
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

describe('a custom register map from the configuration file', () => {
  let dir: string;
  let server: ModbusTcpServer;
  let meter: GridMeter | undefined;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampshare-custom-map-'));
    server = createModbusTcpServer({
      source: meterRegisterImage('carlo-gavazzi-em24', () => ({
        volts: [230.4, 231, 229.6],
        amps: [16.25, 0.5, 7],
        importWh: 4_321_000,
      })),
      unitId: 3,
    });
    await server.start();
  });
  afterEach(async () => {
    await meter?.stop();
    meter = undefined;
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should load the map from the file and decode the meter with it', async () => {
    const config = loadEdgeConfig(configFile(dir, server.port, customMap));
    const meterConfig = config.meters[0]!;
    meter = createGridMeter(meterConfig, {
      transport: createModbusSerialTransport(meterConfig.connection, meterConfig.poll.timeoutMs),
    });
    meter.start();

    const sample = await nextSample(meter, (s) => s.valid);

    if (!sample.valid) throw new Error('expected a valid sample');
    expect(planReads(registerMapOf(meterConfig))).toEqual([
      { address: 0x00, count: 6 },
      { address: 0x0c, count: 12 },
      { address: 0x28, count: 2 },
      { address: 0x3e, count: 2 },
    ]);
    expect(sample.values.volts.map((v) => Math.round(v * 10) / 10)).toEqual([230.4, 231, 229.6]);
    expect(sample.values.amps).toEqual([16.25, 0.5, 7]);
    expect(sample.values.watts.map(Math.round)).toEqual([3744, 116, 1607]);
    expect(sample.values.importWh).toBe(4_321_000);
  });

  it('should refuse a bad custom map in the file with the path of every bad field', () => {
    const bad = {
      ...customMap,
      wordOrder: 'middle',
      fields: {
        ...customMap.fields,
        amps: [int32(0x0c, 0.001), { address: 0x0e, type: 'int24', scale: 1 }, int32(0x10, 0)],
      },
    };

    let error: AppError | undefined;
    try {
      loadEdgeConfig(configFile(dir, server.port, bad));
    } catch (caught) {
      error = caught as AppError;
    }

    expect(error?.code).toBe('config.invalid');
    expect(error?.details.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        'meters[0].customMap.wordOrder',
        'meters[0].customMap.fields.amps[1].type',
        'meters[0].customMap.fields.amps[2].scale',
      ]),
    );
  });
});
