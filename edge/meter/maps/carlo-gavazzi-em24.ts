/**
 * Carlo Gavazzi EM24 DIN (AV/E1 series): "EM24-DIN Communication protocol" and "EM24 Ethernet CP", Carlo Gavazzi
 * (cross-checked with the EM24 driver of Victron's dbus-modbus-client). INT32 with the least significant word first, function code 04:
 * 0000h-0004h V L-N x10, 000Ch-0010h A x1000, 0012h-0016h W x10, 0028h W sys x10, 0034h kWh (+) TOT x10.
 * Older EM24 firmware (pre-AV) keeps kWh (+) TOT elsewhere; describe those with a custom map.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const CARLO_GAVAZZI_EM24: MeterModel = {
  id: 'carlo-gavazzi-em24',
  name: 'Carlo Gavazzi EM24',
  source: 'Carlo Gavazzi "EM24-DIN Communication protocol", registers 0000h-0016h, 0028h, 0034h',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'low-first',
    maxGapRegisters: 8,
    maxRegistersPerRead: 50,
    fields: {
      volts: phaseFields(0x00, 2, 'int32', 0.1),
      amps: phaseFields(0x0c, 2, 'int32', 0.001),
      watts: phaseFields(0x12, 2, 'int32', 0.1),
      totalWatts: { address: 0x28, type: 'int32', scale: 0.1 },
      importWh: { address: 0x34, type: 'int32', scale: 100 },
    },
  }),
};
