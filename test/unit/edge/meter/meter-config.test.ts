import { describe, expect, it } from 'vitest';
import {
  MeterConfigListSchema,
  MeterConfigSchema,
  circuitMeterIssues,
  registerMapOf,
} from '../../../../edge/meter/meter-config';
import { METER_MODELS } from '../../../../edge/meter/meter-models';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { parseWith } from '../../../../shared/validation';

const tcp = { transport: 'tcp', host: '192.168.1.50' } as const;
const customMap = {
  functionCode: 3,
  wordOrder: 'low-first',
  fields: {
    volts: [0, 2, 4].map((address) => ({ address, type: 'uint32', scale: 0.1 })),
    amps: [6, 8, 10].map((address) => ({ address, type: 'uint32', scale: 0.001 })),
    watts: [12, 14, 16].map((address) => ({ address, type: 'int32', scale: 1 })),
    totalWatts: { address: 18, type: 'int32', scale: 1 },
    importWh: { address: 20, type: 'uint64', scale: 1 },
  },
};

describe('MeterConfigSchema', () => {
  it('should fill defaults for a built-in model over TCP', () => {
    const config = MeterConfigSchema.parse({ meterId: 'grid', model: 'eastron-sdm630', connection: tcp });

    expect(config.connection).toEqual({ transport: 'tcp', host: '192.168.1.50', port: 502, unitId: 1 });
    expect(config.poll).toMatchObject({ intervalMs: 1000, timeoutMs: 500, retries: 1 });
    expect(registerMapOf(config)).toBe(METER_MODELS['eastron-sdm630'].map);
  });

  it('should accept an RTU connection with serial settings', () => {
    const config = MeterConfigSchema.parse({
      meterId: 'grid',
      model: 'abb-b23',
      connection: { transport: 'rtu', path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', unitId: 7 },
    });

    expect(config.connection).toEqual({
      transport: 'rtu',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
      parity: 'even',
      dataBits: 8,
      stopBits: 1,
      unitId: 7,
    });
  });

  it('should accept a custom map and use it', () => {
    const config = MeterConfigSchema.parse({ meterId: 'sub-1', model: 'custom', customMap, connection: tcp });

    expect(registerMapOf(config).fields.importWh).toEqual({ address: 20, type: 'uint64', scale: 1 });
  });

  it('should list every bad field with its path', () => {
    const result = parseWith(MeterConfigSchema, {
      meterId: 'grid meter',
      model: 'custom',
      connection: { transport: 'rtu', path: '/dev/ttyUSB0', baudRate: 9601, parity: 'mark' },
      poll: { intervalMs: 1000, timeoutMs: 2000, extra: true },
      plausibility: { minVolts: 250, maxVolts: 200 },
    });

    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['meterId', 'connection.baudRate', 'connection.parity', 'poll', 'plausibility.maxVolts']),
    );
  });

  it('should require customMap exactly when the model is custom', () => {
    const missing = parseWith(MeterConfigSchema, { meterId: 'a', model: 'custom', connection: tcp });
    const stray = parseWith(MeterConfigSchema, { meterId: 'a', model: 'abb-b23', connection: tcp, customMap });

    expect(missing.ok ? [] : missing.issues).toEqual([expect.objectContaining({ path: 'customMap' })]);
    expect(stray.ok ? [] : stray.issues).toEqual([expect.objectContaining({ path: 'customMap' })]);
  });

  it('should point at the bad register of a custom map', () => {
    const result = parseWith(MeterConfigSchema, {
      meterId: 'a',
      model: 'custom',
      connection: tcp,
      customMap: {
        functionCode: 4,
        wordOrder: 'high-first',
        fields: {
          volts: [0, 2, 4].map((address) => ({ address, type: 'float32', scale: 1 })),
          amps: [6, 8, 10].map((address) => ({ address, type: 'float33', scale: 1 })),
          watts: [12, 14, 16].map((address) => ({ address, type: 'float32', scale: 0 })),
          totalWatts: { address: 65535, type: 'float32', scale: 1 },
          importWh: { address: 20, type: 'float32', scale: 1 },
        },
      },
    });

    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['customMap.fields.amps[0].type', 'customMap.fields.watts[1].scale']));
  });
});

describe('meters of a site', () => {
  it('should refuse duplicate meter ids', () => {
    const meter = { meterId: 'grid', model: 'eastron-sdm630', connection: tcp };
    const result = parseWith(MeterConfigListSchema, [meter, meter]);

    expect(result.ok ? [] : result.issues).toMatchObject([
      { path: '[1].meterId', message: 'duplicate meterId "grid"' },
    ]);
  });

  const site = (circuits: unknown[], chargers: unknown[] = []) =>
    SiteSchema.parse({ $schemaVersion: 1, id: 'site-1', circuits, chargers });
  const meters = (list: Array<{ meterId: string; role?: string }>) =>
    MeterConfigListSchema.parse(list.map((m) => ({ ...m, model: 'eastron-sdm630', connection: tcp })));

  it('should report circuits whose meterId has no meter', () => {
    const tree = site([
      { id: 'main', parent: null, fuseAmps: 63, meterId: 'grid' },
      { id: 'garage', parent: 'main', fuseAmps: 32, meterId: 'sub' },
    ]);

    expect(circuitMeterIssues(tree, meters([{ meterId: 'grid' }]))).toMatchObject([
      { path: 'circuits[1].meterId', message: 'no meter configured with meterId "sub"' },
    ]);
  });

  it('should accept a grid meter, a sub-distribution meter and a PV inverter meter on a branch without chargers', () => {
    const tree = site(
      [
        { id: 'main', parent: null, fuseAmps: 63, meterId: 'grid' },
        { id: 'garage', parent: 'main', fuseAmps: 32, meterId: 'garage' },
        { id: 'pv', parent: 'main', fuseAmps: 25, meterId: 'pv' },
      ],
      [{ id: 'CP-1', circuit: 'garage', phases: 3, maxAmps: 32 }],
    );

    const issues = circuitMeterIssues(
      tree,
      meters([
        { meterId: 'grid', role: 'grid' },
        { meterId: 'garage', role: 'sub-distribution' },
        { meterId: 'pv', role: 'pv-inverter' },
      ]),
    );

    expect(issues).toEqual([]);
  });

  it('should point at the circuit whose meter role does not fit the tree', () => {
    const tree = site(
      [
        { id: 'main', parent: null, fuseAmps: 63, meterId: 'garage' },
        { id: 'garage', parent: 'main', fuseAmps: 32, meterId: 'grid' },
        { id: 'carport', parent: 'garage', fuseAmps: 32 },
        { id: 'roof', parent: 'main', fuseAmps: 32, meterId: 'pv' },
      ],
      [{ id: 'CP-1', circuit: 'carport', phases: 3, maxAmps: 32 }],
    );
    const withPvAbove = site(
      [
        { id: 'main', parent: null, fuseAmps: 63 },
        { id: 'garage', parent: 'main', fuseAmps: 32, meterId: 'pv' },
        { id: 'carport', parent: 'garage', fuseAmps: 32 },
      ],
      [{ id: 'CP-1', circuit: 'carport', phases: 3, maxAmps: 32 }],
    );
    const roles = meters([
      { meterId: 'grid', role: 'grid' },
      { meterId: 'garage', role: 'sub-distribution' },
      { meterId: 'pv', role: 'pv-inverter' },
    ]);

    expect(circuitMeterIssues(tree, roles)).toMatchObject([
      {
        path: 'circuits[0].meterId',
        message: 'meter "garage" has role "sub-distribution" but circuit "main" is the grid connection',
      },
      {
        path: 'circuits[1].meterId',
        message: 'meter "grid" has role "grid" but circuit "garage" is not the grid connection (its parent is "main")',
      },
    ]);
    expect(circuitMeterIssues(withPvAbove, roles)).toMatchObject([
      {
        path: 'circuits[1].meterId',
        message:
          'meter "pv" has role "pv-inverter" but circuit "garage" feeds chargers (CP-1), which a PV inverter\'s meter cannot protect',
      },
    ]);
  });

  it('should refuse one meter named by two circuits', () => {
    const tree = site([
      { id: 'main', parent: null, fuseAmps: 63, meterId: 'grid' },
      { id: 'garage', parent: 'main', fuseAmps: 32, meterId: 'grid' },
    ]);

    expect(circuitMeterIssues(tree, meters([{ meterId: 'grid' }]))).toMatchObject([
      {
        path: 'circuits[1].meterId',
        message: 'meter "grid" already measures circuit "main"; a meter measures one circuit',
      },
    ]);
  });

  it('should refuse an unknown role with its path', () => {
    const result = parseWith(MeterConfigSchema, {
      meterId: 'pv',
      role: 'solar',
      model: 'eastron-sdm630',
      connection: tcp,
    });

    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['role']);
  });
});
