/**
 * Siemens SENTRON PAC2200: "SENTRON Power Monitoring Device PAC2200 Manual" (Siemens), "Modbus measured variables"
 * (cross-checked with volkszaehler/mbmd meters/rs485/pac2200.go).
 * Offsets 1/3/5 voltage a-n, 13/15/17 current, 25/27/29 active power per phase, 65 total active power (float32, high word first),
 * 801 active energy import tariff 1 (double, Wh). Function code 04 (03 answers the same); tariff 2 (805) is not added,
 * so with two tariffs in use importWh counts tariff 1 only (load management itself uses amps and watts).
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const SIEMENS_PAC2200: MeterModel = {
  id: 'siemens-pac2200',
  name: 'Siemens SENTRON PAC2200',
  source: 'Siemens "SENTRON PAC2200 Manual", Modbus offsets 1-29, 65, 801',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'high-first',
    maxGapRegisters: 8,
    fields: {
      volts: phaseFields(1, 2, 'float32', 1),
      amps: phaseFields(13, 2, 'float32', 1),
      watts: phaseFields(25, 2, 'float32', 1),
      totalWatts: { address: 65, type: 'float32', scale: 1 },
      importWh: { address: 801, type: 'float64', scale: 1 },
    },
  }),
};
