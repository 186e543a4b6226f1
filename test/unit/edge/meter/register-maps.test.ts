import { describe, expect, it } from 'vitest';
import { METER_MODELS, type MeterModelId } from '../../../../edge/meter/meter-models';
import { planReads } from '../../../../edge/meter/read-plan';
import { decodeMeterValues, type MeterValues } from '../../../../edge/meter/register-decoder';

/** Raw registers as a real meter of each model holds them (words computed independently with Python's struct). */
interface Case {
  model: MeterModelId;
  registers: Record<number, number[]>;
  reads: number;
}

// Every case encodes the same measurement.
const EXPECTED: MeterValues = {
  volts: [230.5, 231, 229.5],
  amps: [10.5, 12.25, 8],
  watts: [2420.5, 2829.5, 1836],
  totalWatts: 7086,
  importWh: 12_345_500,
};

const eastron: Record<number, number[]> = {
  0x00: [0x4366, 0x8000, 0x4367, 0x0000, 0x4365, 0x8000],
  0x06: [0x4128, 0x0000, 0x4144, 0x0000, 0x4100, 0x0000],
  0x0c: [0x4517, 0x4800, 0x4530, 0xd800, 0x44e5, 0x8000],
  0x34: [0x45dd, 0x7000],
  0x48: [0x4640, 0xe600],
};
// Carlo Gavazzi: the EM24 (RS-485) and the EM330/EM340 share V, A, W and W sys; kWh (+) TOT is at 003Eh on the one, 0034h on the other.
const gavazziMeasurements: Record<number, number[]> = {
  0x00: [0x0901, 0x0000, 0x0906, 0x0000, 0x08f7, 0x0000],
  0x0c: [0x2904, 0x0000, 0x2fda, 0x0000, 0x1f40, 0x0000],
  0x12: [0x5e8d, 0x0000, 0x6e87, 0x0000, 0x47b8, 0x0000],
  0x28: [0x14cc, 0x0001],
};
const gavazziImportKwhX10 = [0xe23f, 0x0001];
// In the EM24's table 0034h/0035h are PF L3 and PF sys (x1000): a map reading energy there gets 0x03E803E8, not 12345.5 kWh.
const em24: Record<number, number[]> = {
  ...gavazziMeasurements,
  0x32: [1000, 1000, 1000, 1000],
  0x3e: gavazziImportKwhX10,
};
const em340: Record<number, number[]> = { ...gavazziMeasurements, 0x34: gavazziImportKwhX10 };

const CASES: Case[] = [
  { model: 'eastron-sdm630', registers: eastron, reads: 1 },
  { model: 'eastron-sdm72d-m', registers: eastron, reads: 3 },
  { model: 'carlo-gavazzi-em24', registers: em24, reads: 5 },
  { model: 'carlo-gavazzi-em340', registers: em340, reads: 3 },
  {
    model: 'janitza-umg96rm',
    registers: {
      19000: [0x4366, 0x8000, 0x4367, 0x0000, 0x4365, 0x8000],
      19012: [0x4128, 0x0000, 0x4144, 0x0000, 0x4100, 0x0000],
      19020: [0x4517, 0x4800, 0x4530, 0xd800, 0x44e5, 0x8000, 0x45dd, 0x7000],
      19068: [0x4b3c, 0x609c],
    },
    reads: 4,
  },
  {
    model: 'abb-b23',
    registers: {
      0x5000: [0x0000, 0x0000, 0x0012, 0xd676],
      0x5b00: [0x0000, 0x0901, 0x0000, 0x0906, 0x0000, 0x08f7],
      0x5b0c: [0x0000, 0x041a, 0x0000, 0x04c9, 0x0000, 0x0320],
      0x5b14: [0x000a, 0xcff8, 0x0003, 0xb182, 0x0004, 0x5146, 0x0002, 0xcd30],
    },
    reads: 2,
  },
  {
    model: 'siemens-pac2200',
    registers: {
      1: [0x4366, 0x8000, 0x4367, 0x0000, 0x4365, 0x8000],
      13: [0x4128, 0x0000, 0x4144, 0x0000, 0x4100, 0x0000],
      25: [0x4517, 0x4800, 0x4530, 0xd800, 0x44e5, 0x8000],
      65: [0x45dd, 0x7000],
      801: [0x4167, 0x8c13, 0x8000, 0x0000],
    },
    reads: 3,
  },
];

/** Reads a block from a sparse register image; unused registers read 0 as on most meters. */
function readImage(registers: Record<number, number[]>, address: number, count: number): number[] {
  const flat = new Map<number, number>();
  for (const [start, words] of Object.entries(registers)) words.forEach((w, i) => flat.set(Number(start) + i, w));
  return Array.from({ length: count }, (_, i) => flat.get(address + i) ?? 0);
}

function expectClose(actual: MeterValues, expected: MeterValues): void {
  const flat = (v: MeterValues) => [...v.volts, ...v.amps, ...v.watts, v.totalWatts, v.importWh];
  flat(actual).forEach((value, i) => expect(value).toBeCloseTo(flat(expected)[i]!, 6));
}

describe('built-in register maps', () => {
  it.each(CASES)('should decode a known $model register image', ({ model, registers, reads }) => {
    const map = METER_MODELS[model].map;
    const plan = planReads(map);

    const values = decodeMeterValues(
      map,
      plan,
      plan.map((b) => readImage(registers, b.address, b.count)),
    );

    expectClose(values, EXPECTED);
    expect(plan).toHaveLength(reads);
  });

  it('should read each model with no more than the Modbus maximum of 125 registers per request', () => {
    for (const model of Object.values(METER_MODELS)) {
      for (const block of planReads(model.map))
        expect(block.count).toBeLessThanOrEqual(Math.min(125, model.map.maxRegistersPerRead));
    }
  });

  // Request sizes the vendor tables allow (Eastron: 40 or 30 parameters of two registers; Carlo Gavazzi EM24: 11 words; ABB: 125).
  it.each<[MeterModelId, number]>([
    ['eastron-sdm630', 80],
    ['eastron-sdm72d-m', 60],
    ['carlo-gavazzi-em24', 11],
    ['abb-b23', 125],
  ])('should read the %s with requests no larger than its vendor table allows (%i registers)', (model, limit) => {
    const plan = planReads(METER_MODELS[model].map);

    for (const block of plan) expect(block.count).toBeLessThanOrEqual(limit);
  });

  it('should decode negative (exported) power on signed maps', () => {
    const map = METER_MODELS['carlo-gavazzi-em24'].map;
    const plan = planReads(map);
    const registers = { ...em24, 0x28: [0xc568, 0xffff] };

    const values = decodeMeterValues(
      map,
      plan,
      plan.map((b) => readImage(registers, b.address, b.count)),
    );

    expect(values.totalWatts).toBeCloseTo(-1500, 6);
  });

  it('should refuse a block that came back short', () => {
    const map = METER_MODELS['eastron-sdm630'].map;
    const plan = planReads(map);

    expect(() => decodeMeterValues(map, plan, [[0x4366]])).toThrow(/returned 1 of/);
  });
});
