/**
 * The register image of a simulated meter: live values from a supplied function, laid out as the vendor's table says.
 * Written from the vendor tables independently of edge/meter's maps, so tests of the driver against it check both.
 */
import { ILLEGAL_DATA_ADDRESS, ILLEGAL_FUNCTION, type RegisterSource } from './modbus-pdu';

type Triple = readonly [number, number, number];

/** What the simulated meter measures right now: volts line-to-neutral and amps per phase, energy imported so far. */
export interface SimulatedMeterValues {
  readonly volts: Triple;
  readonly amps: Triple;
  readonly importWh: number;
  /** Active over apparent power, the same on every phase; 1 by default. Negative means export. */
  readonly powerFactor?: number;
}

export const SIMULATED_METER_MODELS = ['eastron-sdm630', 'carlo-gavazzi-em24'] as const;
export type SimulatedMeterModel = (typeof SIMULATED_METER_MODELS)[number];

interface Layout {
  readonly functionCodes: ReadonlySet<number>;
  readonly lastAddress: number;
  readonly write: (values: SimulatedMeterValues, set: (address: number, words: readonly number[]) => void) => void;
}

const LAYOUTS: Record<SimulatedMeterModel, Layout> = {
  // Eastron "SDM630 Modbus Protocol": input registers, parameter n at 2(n-1), IEEE 754 float32 high word first.
  'eastron-sdm630': {
    functionCodes: new Set([4]),
    lastAddress: 0x017f,
    write: (v, set) => {
      const pf = v.powerFactor ?? 1;
      const watts = v.amps.map((a, i) => a * v.volts[i]! * pf);
      for (let i = 0; i < 3; i++) {
        set(0x00 + 2 * i, float32(v.volts[i]!));
        set(0x06 + 2 * i, float32(v.amps[i]!));
        set(0x0c + 2 * i, float32(watts[i]!));
        set(0x1e + 2 * i, float32(pf));
      }
      set(0x34, float32(sum(watts)));
      set(0x46, float32(50));
      set(0x48, float32(v.importWh / 1000));
      set(0x4a, float32(0));
    },
  },
  // Carlo Gavazzi "EM24-DIN PFA, PFB & X models - Communication Protocol", Table 2.3-1: INT32 least significant word first,
  // V x10, A x1000, W x10, PF x1000 (INT16), Hz x10 (INT16), kWh x10; answers function codes 03 and 04 alike.
  'carlo-gavazzi-em24': {
    functionCodes: new Set([3, 4]),
    lastAddress: 0x005f,
    write: (v, set) => {
      const pf = v.powerFactor ?? 1;
      const watts = v.amps.map((a, i) => a * v.volts[i]! * pf);
      for (let i = 0; i < 3; i++) {
        set(0x00 + 2 * i, int32LowFirst(v.volts[i]! * 10));
        set(0x06 + 2 * i, int32LowFirst(lineToLine(v.volts[i]!, v.volts[(i + 1) % 3]!) * 10));
        set(0x0c + 2 * i, int32LowFirst(v.amps[i]! * 1000));
        set(0x12 + 2 * i, int32LowFirst(watts[i]! * 10));
        set(0x32 + i, [Math.round(pf * 1000) & 0xffff]);
      }
      set(0x28, int32LowFirst(sum(watts) * 10));
      set(0x35, [Math.round(pf * 1000) & 0xffff]);
      set(0x37, [500]);
      set(0x3e, int32LowFirst(v.importWh / 100));
    },
  },
};

/** A register source for `model` that reads `values()` on every request; unused registers inside the table read 0. */
export function meterRegisterImage(model: SimulatedMeterModel, values: () => SimulatedMeterValues): RegisterSource {
  const layout = LAYOUTS[model];
  return (functionCode, address, count) => {
    if (!layout.functionCodes.has(functionCode)) return { exception: ILLEGAL_FUNCTION };
    if (address + count - 1 > layout.lastAddress) return { exception: ILLEGAL_DATA_ADDRESS };
    const image = new Map<number, number>();
    layout.write(values(), (start, words) => words.forEach((w, i) => image.set(start + i, w)));
    return Array.from({ length: count }, (_, i) => image.get(address + i) ?? 0);
  };
}

function float32(value: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return [view.getUint16(0), view.getUint16(2)];
}

function int32LowFirst(value: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setInt32(0, Math.round(value));
  return [view.getUint16(2), view.getUint16(0)];
}

function lineToLine(a: number, b: number): number {
  return Math.sqrt(a * a + b * b + a * b);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
