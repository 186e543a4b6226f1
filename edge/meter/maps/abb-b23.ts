/**
 * ABB B23/B24: "B21, B23, B24 User Manual" (ABB), chapter "Communication with Modbus", mapping table
 * (cross-checked with volkszaehler/mbmd meters/rs485/abb.go).
 * Holding registers (function code 03), high word first: 5B00h-5B04h voltage L-N, Unsigned 32 bit, 0.1 V;
 * 5B0Ch-5B10h current, Unsigned 32 bit, 0.01 A; 5B14h total and 5B16h-5B1Ah per-phase active power, Signed 32 bit, 0.01 W;
 * 5000h active import energy total, Unsigned 64 bit, 0.01 kWh.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const ABB_B23: MeterModel = {
  id: 'abb-b23',
  name: 'ABB B23',
  source: 'ABB "B21, B23, B24 User Manual", Modbus mapping 5000h, 5B00h-5B1Bh',
  map: defineRegisterMap({
    functionCode: 3,
    wordOrder: 'high-first',
    maxGapRegisters: 8,
    fields: {
      volts: phaseFields(0x5b00, 2, 'uint32', 0.1),
      amps: phaseFields(0x5b0c, 2, 'uint32', 0.01),
      watts: phaseFields(0x5b16, 2, 'int32', 0.01),
      totalWatts: { address: 0x5b14, type: 'int32', scale: 0.01 },
      importWh: { address: 0x5000, type: 'uint64', scale: 10 },
    },
  }),
};
