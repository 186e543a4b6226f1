/**
 * Eastron SDM630 (v2 / SDM630MCT): "SDM630 Modbus Protocol", Eastron Electronic Co., table "Input Registers"
 * (cross-checked with volkszaehler/mbmd meters/rs485/sdm.go).
 * Parameters 1-3 (30001/3/5) volts, 4-6 (30007/9/11) amps, 7-9 (30013/15/17) watts, 27 (30053) total system power,
 * 37 (30073) total import kWh. All IEEE 754 float32, high word first, function code 04; the protocol allows up to
 * 40 parameters (80 registers) per request, so one read covers 30001-30074.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const EASTRON_SDM630: MeterModel = {
  id: 'eastron-sdm630',
  name: 'Eastron SDM630',
  source: 'Eastron "SDM630 Modbus Protocol", input registers 30001-30018, 30053, 30073',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'high-first',
    maxGapRegisters: 64,
    maxRegistersPerRead: 80,
    fields: {
      volts: phaseFields(0x00, 2, 'float32', 1),
      amps: phaseFields(0x06, 2, 'float32', 1),
      watts: phaseFields(0x0c, 2, 'float32', 1),
      totalWatts: { address: 0x34, type: 'float32', scale: 1 },
      importWh: { address: 0x48, type: 'float32', scale: 1000 },
    },
  }),
};
